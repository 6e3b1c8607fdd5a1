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
