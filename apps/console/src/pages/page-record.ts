import { ApiError, api } from "../api";
import { h, notice, replace } from "../dom";

/**
 * The record a page shows (a job, a batch), or undefined once `root` holds the page's title and
 * why the record could not be had: the API's problem message, or the error itself.
 */
export async function pageRecord<T>(
  root: HTMLElement,
  title: string,
  path: string,
  signal: AbortSignal,
): Promise<T | undefined> {
  try {
    return await api<T>(path, { signal });
  } catch (error) {
    replace(root, h("h1", {}, title), notice(error instanceof ApiError ? error.message : String(error)));
    return undefined;
  }
}
