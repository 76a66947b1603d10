// Orion's own behaviour. The Content-Security-Policy allows scripts from our static files only,
// so pages carry no inline handlers: they mark elements with data attributes instead.

// <select data-autosubmit>: choosing an option submits its form (the language switch).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});
