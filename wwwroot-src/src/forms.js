// What every script-driven form shares: talking to the JSON API (CSRF header, problem
// details as errors) and telling the user what happened in the form's alert and status.

export class ServerProblem extends Error {
  constructor(message, status, code) {
    super(message);
    this.name = "ServerProblem";
    this.status = status;
    this.code = code;
  }
}

export async function csrfToken() {
  const response = await fetch("/api/auth/csrf", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw await problemFrom(response);
  const body = await response.json();
  return body.token;
}

export async function problemFrom(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    problem = {};
  }
  const message = problem.detail || problem.title || `The server answered ${response.status}.`;
  return new ServerProblem(message, response.status, problem.code);
}

export async function postJson(path, body, token) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await problemFrom(response);
  return response.status === 204 ? null : response.json().catch(() => null);
}

export function field(form, name) {
  const element = form.elements.namedItem(name);
  return element ? element.value : "";
}

export function feedback(form) {
  let alert = form.querySelector('[role="alert"]');
  if (!alert) {
    alert = document.createElement("p");
    alert.setAttribute("role", "alert");
    form.append(alert);
  }
  let status = form.querySelector('[role="status"]');
  if (!status) {
    status = document.createElement("p");
    status.setAttribute("role", "status");
    form.append(status);
  }
  return {
    error(...content) {
      status.textContent = "";
      alert.replaceChildren(...content);
      alert.hidden = false;
    },
    busy(text) {
      alert.replaceChildren();
      alert.hidden = true;
      status.textContent = text;
    },
    done(text = "") {
      status.textContent = text;
    },
  };
}

// Runs one form action with the submit button disabled; any failure becomes a message.
export async function working(form, action) {
  // Every submit button of a multi-step form (a review step has its own), each back to how it was afterwards.
  const buttons = [...form.querySelectorAll('[type="submit"]')].filter((button) => !button.disabled);
  const ui = feedback(form);
  for (const button of buttons) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  try {
    await action(ui);
  } catch (error) {
    ui.error(error instanceof Error ? error.message : String(error));
  } finally {
    for (const button of buttons) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

// Forms that cannot work without script render their submit buttons disabled with
// data-requires-js; a page module enables the ones it handles.
export function enableScriptForms(root, selectors) {
  for (const selector of selectors) {
    for (const form of root.querySelectorAll(selector)) {
      for (const button of form.querySelectorAll("[data-requires-js]")) button.disabled = false;
    }
  }
}

// Delegated submit handling, so forms that htmx swaps in later work without re-binding.
export function handleSubmits(root, handlers) {
  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const match = handlers.find(([selector]) => form.matches(selector));
    if (!match) return;
    event.preventDefault();
    match[1](form);
  });
  const selectors = handlers.map(([selector]) => selector);
  enableScriptForms(root, selectors);
  root.addEventListener("htmx:after:swap", () => enableScriptForms(root, selectors));
}
