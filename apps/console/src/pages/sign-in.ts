import { ApiError, api } from "../api";
import { h, replace } from "../dom";
import { type Role, saveSession } from "../session";

/**
 * Which key this is: a tenant's (it can list jobs) or the operator's admin key (it can list
 * keys). Undefined when neither accepts it.
 */
async function roleOf(key: string): Promise<Role | undefined> {
  try {
    await api("/v1/jobs?limit=1", {}, key);
    return "tenant";
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
  }
  try {
    await api("/v1/admin/keys", {}, key);
    return "admin";
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return undefined;
    throw error;
  }
}

export function signInPage(onSignedIn: () => void): HTMLElement {
  const input = h("input", {
    id: "api-key",
    name: "api-key",
    type: "password",
    autocomplete: "off",
    required: true,
    spellcheck: "false",
    "aria-describedby": "api-key-help",
  });
  const message = h("div", { id: "sign-in-message", "aria-live": "polite" });
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: async (event) => {
        event.preventDefault();
        const key = input.value.trim();
        submit.disabled = true;
        replace(message);
        try {
          const role = await roleOf(key);
          if (!role) {
            replace(
              message,
              h("p", { class: "notice notice-error", role: "alert" }, "This key was not accepted."),
            );
            input.select();
            return;
          }
          saveSession({ key, role });
          location.hash = role === "admin" ? "#/admin" : "#/jobs";
          onSignedIn();
        } catch (error) {
          replace(message, h("p", { class: "notice notice-error", role: "alert" }, (error as Error).message));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("h1", {}, "facegate console"),
    h("label", { for: "api-key" }, "API key"),
    input,
    h(
      "p",
      { id: "api-key-help", class: "muted" },
      "A tenant's API key, or the admin key for the admin pages. It stays in this tab only and is sent as the bearer token; closing the tab signs you out.",
    ),
    submit,
    message,
  );
  queueMicrotask(() => input.focus());
  return form;
}
