// Owns building DOM for the webviews: elements from tag + attributes + children, text always as text nodes.
import type { TextSegment } from '../../src/shared/webviewProtocol';

type Child = Node | string | undefined | false;

/**
 * Creates an element. Strings become text nodes (never parsed as HTML), so document text such as
 * `<img src=x onerror=…>` shows as those characters.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes?: Record<string, string | boolean | undefined>,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Record<string, string | boolean | undefined>, ...children: Child[]): HTMLElement;
export function h(tag: string, attributes: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** A sentence with its marked mentions as <mark> elements; every piece is a text node. */
export function segments(parts: readonly TextSegment[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const part of parts) {
    fragment.append(part.mark ? h('mark', { class: `mention ${part.mark}` }, part.text) : document.createTextNode(part.text));
  }
  return fragment;
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== undefined && c !== false));
}

export function formatScore(score: number): string {
  return score.toFixed(2);
}

/** Activates on click and on Enter/Space, so rows work from the keyboard too. */
export function onActivate(element: HTMLElement, action: () => void): void {
  element.addEventListener('click', action);
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      action();
    }
  });
}
