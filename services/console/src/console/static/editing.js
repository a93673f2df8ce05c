// Saathi console: a panel marked data-keep-while-editing is not refreshed in the background
// (its periodic or live GET) while the person is filling in one of its forms, so a half-typed
// crisis note or peer note is never wiped; the form's own POST still swaps the panel.
(function () {
  "use strict";

  function editing(panel) {
    var active = document.activeElement;
    if (active && panel.contains(active) && active.matches("input, select, textarea")) return true;
    return Array.prototype.some.call(
      panel.querySelectorAll("input:not([type=hidden]), textarea"),
      function (field) {
        return field.type === "checkbox" ? field.checked !== field.defaultChecked : field.value !== field.defaultValue;
      }
    );
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    // A background refresh is issued by the panel itself; an action by a form inside it.
    var panel = event.detail.target, background = event.detail.elt === panel;
    if (background && panel && panel.matches("[data-keep-while-editing]") && editing(panel)) {
      event.detail.shouldSwap = false;
    }
  });
})();
