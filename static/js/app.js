// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-nav-toggle]").forEach((button) => {
    button.addEventListener("click", () => {
      const nav = document.getElementById(button.getAttribute("aria-controls"));
      const open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      // On a phone the folded menu shows every link at once: its dropdowns open with it.
      if (open && !headerIsOneRow()) {
        nav.querySelectorAll("details.nav-menu").forEach((menu) => {
          menu.open = true;
        });
      }
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
  // "Go back" on an error page: a step back in the history keeps what was typed in the form.
  document.querySelectorAll("[data-history-back]").forEach((element) => {
    element.hidden = false;
    element.querySelector("button").addEventListener("click", () => window.history.back());
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // A value shown once to copy (a new API token): focusing the field selects all of it.
  document.querySelectorAll("[data-select-on-focus]").forEach((field) => {
    field.addEventListener("focus", () => field.select());
  });
});

// The header's dropdowns (templates/base.html): on a wide screen, where the header is one row, one
// menu is open at a time, and a click elsewhere or Escape closes it.
const headerRow = window.matchMedia("(min-width: 1024px)");

function headerIsOneRow() {
  return headerRow.matches;
}

// Grown from a phone's width into one row: the menus the phone had open would all hang down.
headerRow.addEventListener("change", () => {
  if (headerIsOneRow()) closeHeaderMenus(null);
});

function closeHeaderMenus(except) {
  document.querySelectorAll("header details.nav-menu[open]").forEach((menu) => {
    if (menu !== except) menu.open = false;
  });
}

document.addEventListener(
  "toggle",
  (event) => {
    const menu = event.target;
    if (headerIsOneRow() && menu.matches && menu.matches("header details.nav-menu") && menu.open) closeHeaderMenus(menu);
  },
  true,
);

document.addEventListener("click", (event) => {
  if (headerIsOneRow() && !event.target.closest("header details.nav-menu")) closeHeaderMenus(null);
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !headerIsOneRow()) return;
  const open = event.target.closest && event.target.closest("header details.nav-menu[open]");
  closeHeaderMenus(null);
  if (open) open.querySelector("summary").focus();
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

// The RFQ form's supplier picker (templates/buyers/_invite_picker.html). The invited field stays a
// text input of supplier numbers; with JavaScript a name search appears, a found supplier's button
// adds its number and a chip with its name, and a chip's button takes the number out again.
const pickerSeparators = /[\s,;，；、]+/;

function pickerNumbers(field) {
  return field.value.split(pickerSeparators).filter((part) => part !== "");
}

function pickerChip(picker, number, name) {
  const chip = picker.querySelector("template[data-picker-chip]").content.firstElementChild.cloneNode(true);
  chip.dataset.supplierChip = number;
  chip.querySelector("[data-chip-name]").textContent = name;
  chip.querySelector("[data-chip-number]").textContent = `#${number}`;
  const remove = chip.querySelector("[data-picker-remove]");
  remove.dataset.pickerRemove = number;
  remove.setAttribute("aria-label", `${remove.dataset.removeLabel} ${name}`);
  return chip;
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-supplier-picker]").forEach((picker) => {
    picker.querySelectorAll("[data-picker-search], [data-picker-remove]").forEach((element) => {
      element.hidden = false;
    });
  });
});

document.addEventListener("keydown", (event) => {
  // Enter in the name search searches; it does not send the RFQ form.
  if (event.key === "Enter" && event.target.matches("[data-picker-query]")) event.preventDefault();
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-picker-add], [data-picker-remove]");
  const picker = button && button.closest("[data-supplier-picker]");
  if (!picker) return;
  const field = picker.querySelector("[data-picker-field]");
  const chips = picker.querySelector("[data-picker-chips]");
  let numbers = pickerNumbers(field);
  if (button.dataset.pickerAdd !== undefined) {
    const number = button.dataset.pickerAdd;
    if (!numbers.includes(number)) {
      numbers.push(number);
      chips.append(pickerChip(picker, number, button.dataset.pickerName));
    }
    button.disabled = true;
  } else {
    const number = button.dataset.pickerRemove;
    numbers = numbers.filter((item) => item !== number);
    button.closest("[data-supplier-chip]").remove();
    picker.querySelectorAll(`[data-picker-add="${number}"]`).forEach((add) => {
      add.disabled = false;
    });
  }
  field.value = numbers.join(", ");
  field.dispatchEvent(new Event("change", { bubbles: true }));
});
