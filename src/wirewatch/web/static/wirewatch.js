// wirewatch: progressive enhancement only. Every page works without this file.
"use strict";

function flash(button, text) {
  const before = button.textContent;
  button.textContent = text;
  setTimeout(() => { button.textContent = before; }, 2000);
}

document.addEventListener("DOMContentLoaded", () => {
  // "Copy link" / "Copy citation": shown only where the clipboard can be written.
  for (const button of document.querySelectorAll("button.copy[data-copy]")) {
    if (!navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        flash(button, "Copied");
      } catch (error) {
        flash(button, "Copy failed: select the text instead");
      }
    });
  }
  // The system's share sheet, where the browser has one (phones, some desktops).
  for (const button of document.querySelectorAll("button.native-share")) {
    if (!navigator.share) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(() => {});
    });
  }
  // The permalink field selects itself whole, ready to copy.
  const permalink = document.getElementById("permalink");
  if (permalink) permalink.addEventListener("focus", () => permalink.select());
});
