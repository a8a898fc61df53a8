import type { Page } from "playwright-core";

/**
 * Console errors and uncaught exceptions of a page, CSP refusals included. Chromium also logs
 * every 4xx answer a script fetched ("Failed to load resource"); in the console those are
 * answers it shows (a wrong key, a deleted input), so they are left out.
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Open the console and sign in with `key`, as a person would. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#sign-out").waitFor();
}
