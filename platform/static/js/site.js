// Submit the language form as soon as a language is picked; the button stays
// for keyboards and browsers without JavaScript.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.submit();
  });
});
