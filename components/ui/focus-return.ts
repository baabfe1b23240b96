/**
 * Where keyboard focus goes when a dialog closes: back to the control that
 * opened it. Dialogs here are opened by state, not by a Radix trigger, so Radix
 * knows no trigger and would leave focus on <body> (the next Tab would land on
 * "Skip to content"). The opener may be disabled for a moment (a request is on its
 * way) or gone (the action it offered no longer applies): focus waits for it, or
 * goes to the nearest control still there.
 */

const FOCUSABLE =
  ':is(button, a[href], input, select, textarea, [tabindex]):not([tabindex="-1"], [type="hidden"])';

/** How long focus waits for a disabled control to come back. */
const WAIT_MS = 5000;

/** The element that opened a dialog: an item of a menu stands for the menu's trigger. */
export function openerOf(active: Element | null): HTMLElement | null {
  if (!(active instanceof HTMLElement) || active === document.body) return null;
  const menu = active.closest('[role="menu"]');
  const triggerId = menu?.getAttribute('aria-labelledby');
  const trigger = triggerId ? document.getElementById(triggerId) : null;
  return trigger ?? active;
}

const usable = (el: HTMLElement) =>
  el.isConnected &&
  !(el as HTMLButtonElement).disabled &&
  el.getAttribute('aria-disabled') !== 'true';

/** Focus moved on by itself (the user clicked or tabbed somewhere): leave it there. */
const movedOn = () => {
  const a = document.activeElement;
  return a !== null && a !== document.body && !a.closest('[role="dialog"]');
};

/**
 * Focuses `opener` once it is usable again; if it left the page, the first control
 * of its nearest ancestor still on the page (waiting, too, while that one is
 * disabled). `ancestors` are the opener's, recorded when the dialog opened (a
 * removed element no longer knows them).
 */
export function returnFocus(opener: HTMLElement | null, ancestors: HTMLElement[]): void {
  if (!opener) return;
  const until = Date.now() + WAIT_MS;
  const attempt = () => {
    if (movedOn()) return;
    const target = opener.isConnected ? opener : nearestControl(ancestors);
    if (!target) return;
    if (usable(target)) {
      target.focus();
      return;
    }
    if (Date.now() < until) setTimeout(attempt, 50);
  };
  attempt();
}

/** The first control (enabled or not) inside the nearest ancestor still on the page. */
function nearestControl(ancestors: HTMLElement[]): HTMLElement | null {
  for (const a of ancestors) {
    if (!a.isConnected) continue;
    const first = a.querySelector<HTMLElement>(FOCUSABLE);
    if (first) return first;
  }
  return null;
}

/** The opener's ancestors, nearest first, up to <main> (or <body>). */
export function ancestorsOf(el: HTMLElement | null): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (let n = el?.parentElement ?? null; n && n !== document.body; n = n.parentElement) {
    out.push(n);
    if (n.tagName === 'MAIN') break;
  }
  return out;
}
