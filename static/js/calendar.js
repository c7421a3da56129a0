/* Calendar page: the "Copy" buttons next to a new feed address.

   An enhancement only: the address is in a read-only field anyone can select and copy. */
(function () {
  "use strict";

  function copied(button) {
    var label = button.textContent;
    button.textContent = button.dataset.copied || label;
    window.setTimeout(function () {
      button.textContent = label;
    }, 2000);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input) {
      return;
    }
    button.addEventListener("click", function () {
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () {
          copied(button);
        });
      } else if (document.execCommand("copy")) {
        copied(button);
      }
    });
  });
})();
