import { h } from "./dom";

/**
 * Cursor paging for a list page: the cursor of the page shown, the cursors of the pages before it,
 * and the "newer" / "older" buttons that move between them and reload.
 */
export class CursorPager {
  cursor: string | undefined;
  private readonly previous: (string | undefined)[] = [];

  constructor(private readonly reload: () => void) {}

  /** Back to the first (newest) page, e.g. when a filter changes. */
  reset(): void {
    this.previous.length = 0;
    this.cursor = undefined;
  }

  /** The buttons for a page whose next cursor is `next` (null on the last page). */
  buttons(next: string | null | undefined): HTMLElement[] {
    const button = (label: string, disabled: boolean, move: () => void) =>
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          disabled,
          onclick: () => {
            move();
            this.reload();
          },
        },
        label,
      );
    return [
      button("← Newer", this.previous.length === 0, () => {
        this.cursor = this.previous.pop();
      }),
      button("Older →", !next, () => {
        this.previous.push(this.cursor);
        this.cursor = next ?? undefined;
      }),
    ];
  }
}
