// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-nav-toggle]").forEach((button) => {
    button.addEventListener("click", () => {
      const nav = document.getElementById(button.getAttribute("aria-controls"));
      const open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
  // Search filters stay folded behind their button on a phone and open on a wide screen.
  if (window.matchMedia("(min-width: 900px)").matches) {
    document.querySelectorAll("details[data-filters]").forEach((details) => {
      details.open = true;
    });
  }
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});

// A refusal answered to an htmx request (marketplace/middleware.py): htmx swaps nothing from its
// 4xx answer and fires this event; show the message with the page's other messages, once.
document.addEventListener("domain-error", (event) => {
  const message = event.detail && event.detail.message;
  const main = document.querySelector("main");
  if (!message || !main) return;
  let list = main.querySelector(":scope > .messages");
  if (!list) {
    list = document.createElement("ul");
    list.className = "messages";
    list.setAttribute("role", "status");
    main.prepend(list);
  }
  if ([...list.children].some((item) => item.textContent === message)) return;
  const item = document.createElement("li");
  item.className = "message message-error";
  item.textContent = message;
  list.append(item);
});
