// A code block whose lines are wider than the page scrolls sideways: make it reachable with the
// keyboard (Tab to it, then the arrow keys), as a scrollable region must be.
document.addEventListener("DOMContentLoaded", () => {
  for (const block of document.querySelectorAll(".highlight pre, .output pre")) {
    if (block.scrollWidth > block.clientWidth && !block.hasAttribute("tabindex")) {
      block.tabIndex = 0;
    }
  }
});
