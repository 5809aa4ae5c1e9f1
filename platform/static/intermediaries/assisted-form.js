// The assisted-filing form on the tablet: the signature pad, the choice of how
// consent is given, and putting each filing in the tablet's queue.
//
// Every filing goes through the queue, online or not, so a connection lost
// halfway loses nothing; offline.js sends it. Without JavaScript the form
// posts to the page and only spoken consent can be given.
(function () {
  "use strict";

  const form = document.querySelector("[data-assisted-form]");
  if (!form || !window.volunteerQueue || !window.indexedDB) {
    return;
  }
  const problemBox = form.querySelector("[data-form-problem]");
  const statusLine = form.querySelector("[data-form-status]");
  const signatureBox = form.querySelector("[data-signature-box]");
  const signatureValue = form.querySelector("[data-signature-value]");
  const attestationBox = form.querySelector("[data-attestation-box]");
  const pad = setUpPad(signatureBox.querySelector("[data-signature-pad]"));

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (byte) {
      return byte.toString(16).padStart(2, "0");
    }).join("");
  }

  function setUpPad(canvas) {
    const context = canvas.getContext("2d");
    let drawing = false;
    let inked = false;
    let last = null;

    function fit() {
      // Resizing a canvas wipes it: never once the resident has signed.
      const box = canvas.getBoundingClientRect();
      if (inked || box.width === 0) {
        return;
      }
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(box.width * ratio);
      canvas.height = Math.round(box.height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#1a1a1a";
      context.fillStyle = "#1a1a1a";
    }

    function at(event) {
      const box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      inked = true;
      last = at(event);
      canvas.setPointerCapture(event.pointerId);
      context.beginPath();
      context.arc(last.x, last.y, 1.5, 0, 2 * Math.PI);
      context.fill();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      const point = at(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(point.x, point.y);
      context.stroke();
      last = point;
    });
    function finish() {
      if (drawing) {
        drawing = false;
        signatureValue.value = canvas.toDataURL("image/png");
      }
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    window.addEventListener("resize", fit);

    return {
      fit: fit,
      clear: function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        inked = false;
        signatureValue.value = "";
        fit();
      },
    };
  }

  function method() {
    const chosen = form.querySelector("input[name=method]:checked");
    return chosen ? chosen.value : "";
  }

  function showMethod() {
    signatureBox.hidden = method() !== "signed";
    attestationBox.hidden = method() !== "spoken";
    pad.fit();
  }

  function problem() {
    const data = new FormData(form);
    if (!data.get("resident") && !String(data.get("id_number") || "").trim()) {
      return form.dataset.problemResident;
    }
    if (!data.get("files_on_behalf") || !data.get("shares_record")) {
      return form.dataset.problemConsent;
    }
    if (method() === "signed" && !signatureValue.value) {
      return form.dataset.problemSignature;
    }
    if (method() === "spoken" && !String(data.get("attestation")).trim()) {
      return form.dataset.problemAttestation;
    }
    if (!data.get("category")) {
      return form.dataset.problemCategory;
    }
    if (!String(data.get("description")).trim()) {
      return form.dataset.problemDescription;
    }
    return "";
  }

  function label(data) {
    const category = form.querySelector("input[name=category]:checked");
    const name = category.closest("label").querySelector(".choice-name");
    const who = form.dataset.residentLabel
      ? form.dataset.residentLabel
      : form.dataset.idLabel + " " + String(data.get("id_number")).trim().slice(-4);
    return (name ? name.textContent : category.value) + " · " + who;
  }

  function queueItem() {
    const data = new FormData(form);
    const signed = method() === "signed";
    return {
      key: data.get("idempotency_key"),
      label: label(data),
      payload: {
        idempotency_key: data.get("idempotency_key"),
        resident: data.get("resident") || "",
        id_number: String(data.get("id_number") || "").trim(),
        category: data.get("category"),
        description: data.get("description"),
        location: data.get("location") || "",
        notify_by: data.get("notify_by") || "sms",
        consent: {
          key: data.get("consent_key"),
          files_on_behalf: Boolean(data.get("files_on_behalf")),
          shares_record: Boolean(data.get("shares_record")),
          method: method(),
          signature: signed ? signatureValue.value : "",
          attestation: signed ? "" : String(data.get("attestation") || ""),
          consented_at: new Date().toISOString(),
        },
      },
    };
  }

  // Ready for the next appeal of the same resident: new keys, no consent.
  function reset() {
    const resident = form.querySelector("input[name=resident]").value;
    const chosenMethod = method();
    form.reset();
    form.querySelector("input[name=resident]").value = resident;
    form.querySelector("[data-key]").value = newKey();
    form.querySelector("[data-consent-key]").value = newKey();
    const again = form.querySelector("input[name=method][value=" + chosenMethod + "]");
    if (again) {
      again.checked = true;
    }
    pad.clear();
    showMethod();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const found = problem();
    problemBox.hidden = !found;
    problemBox.textContent = found;
    if (found) {
      problemBox.scrollIntoView({ block: "center" });
      return;
    }
    window.volunteerQueue.add(queueItem()).then(function () {
      reset();
      statusLine.textContent = form.dataset.queued;
      window.scrollTo({ top: 0 });
    });
  });
  form.querySelectorAll("input[name=method]").forEach(function (radio) {
    radio.addEventListener("change", showMethod);
  });
  signatureBox.querySelector("[data-signature-clear]").addEventListener("click", pad.clear);
  showMethod();
})();
