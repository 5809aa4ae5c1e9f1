// The appeal form's two optional helpers. Without JavaScript both stay hidden
// and the appeal is filed for the resident's home community, without a
// position.
(function () {
  "use strict";

  // Choosing another place: county, then township, village and grid, each
  // list loaded from the server when the one above is chosen. The deepest
  // choice goes into the hidden "location" field; the server refuses a
  // county or township with a message of its own.
  function setUpRegionPicker(picker) {
    const form = picker.closest("form");
    const location = form.querySelector("[data-location]");
    const elsewhere = picker.querySelector("[data-elsewhere]");
    const levels = picker.querySelector("[data-levels]");
    const selects = Array.from(picker.querySelectorAll("select[data-level]"));
    const childrenUrl = picker.dataset.childrenUrl;
    const path = (picker.dataset.path || "").split(" ").filter(Boolean);

    function deepestChoice() {
      let code = "";
      selects.forEach(function (select) {
        if (!select.disabled && select.value) {
          code = select.value;
        }
      });
      return code;
    }

    function update() {
      location.value = elsewhere.checked ? deepestChoice() : "";
    }

    function clearBelow(index) {
      selects.slice(index + 1).forEach(function (select) {
        select.length = 1;
        select.disabled = true;
        select.closest(".field").hidden = false;
      });
    }

    function load(index, parentCode) {
      const select = selects[index];
      if (!select || !parentCode) {
        return Promise.resolve();
      }
      const url = childrenUrl.replace("CODE", encodeURIComponent(parentCode));
      return fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { children: [] };
        })
        .then(function (data) {
          data.children.forEach(function (child) {
            select.add(new Option(child.name, child.code));
          });
          select.disabled = data.children.length === 0;
          // A village without grids: the grid list would only be noise.
          select.closest(".field").hidden = data.children.length === 0;
        });
    }

    function choose(index, code) {
      clearBelow(index);
      update();
      return load(index + 1, code).then(update);
    }

    function preselect(index) {
      const select = selects[index];
      const code = path[index];
      if (!select || !code) {
        return Promise.resolve();
      }
      select.value = code;
      if (select.value !== code) {
        return Promise.resolve();
      }
      return choose(index, code).then(function () {
        return preselect(index + 1);
      });
    }

    selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        choose(index, select.value);
      });
    });
    elsewhere.addEventListener("change", function () {
      levels.hidden = !elsewhere.checked;
      update();
    });

    picker.hidden = false;
    levels.hidden = !elsewhere.checked;
    preselect(0);
  }

  // "Use my location": the phone's position, rounded to what the server keeps.
  function setUpLocate(box) {
    const form = box.closest("form");
    const latitude = form.querySelector("input[name=latitude]");
    const longitude = form.querySelector("input[name=longitude]");
    const useButton = box.querySelector("[data-locate-button]");
    const forgetButton = box.querySelector("[data-forget-button]");
    const status = box.querySelector("[data-locate-status]");

    function show(message, located) {
      status.textContent = message;
      forgetButton.hidden = !located;
    }

    useButton.addEventListener("click", function () {
      show(box.dataset.working, false);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          latitude.value = position.coords.latitude.toFixed(6);
          longitude.value = position.coords.longitude.toFixed(6);
          show(box.dataset.done, true);
        },
        function () {
          latitude.value = "";
          longitude.value = "";
          show(box.dataset.failed, false);
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
    forgetButton.addEventListener("click", function () {
      latitude.value = "";
      longitude.value = "";
      show("", false);
      useButton.focus();
    });

    box.hidden = false;
    if (latitude.value && longitude.value) {
      show(box.dataset.done, true);
    }
  }

  document.querySelectorAll("[data-region-picker]").forEach(setUpRegionPicker);
  if ("geolocation" in navigator) {
    document.querySelectorAll("[data-locate]").forEach(setUpLocate);
  }
})();
