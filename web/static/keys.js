// The only script of the pages, and they work without it: "/" puts the cursor in the
// search box, "n" goes to the next marked word of the reading view (N: the one before).
(function () {
  "use strict";
  var marks = document.querySelectorAll("main mark[id]");
  var current = -1;
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }
  function go(step) {
    if (!marks.length) { return; }
    if (current >= 0) { marks[current].classList.remove("current"); }
    current = (current + step + marks.length) % marks.length;
    var mark = marks[current];
    mark.classList.add("current");
    mark.focus({ preventScroll: true });
    mark.scrollIntoView({ block: "center" });
    var where = document.getElementById("mark-where");
    if (where) { where.textContent = (current + 1) + " / " + marks.length; }
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "/") {
      var box = document.getElementById("q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if (event.key === "n" || event.key === "N") {
      if (marks.length) { event.preventDefault(); go(event.key === "n" ? 1 : -1); }
    }
  });
}());
