// The "print" buttons of #CodeSocial pages: shown, and working, only when scripts run.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button.print-page");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
