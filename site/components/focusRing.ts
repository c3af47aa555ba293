import { css } from 'lit';

/**
 * The keyboard focus ring of every control on the page, in the theme's focus colour and clear of
 * the control's edge (WCAG 2.2 success criterion 2.4.7, Focus Visible:
 * https://www.w3.org/WAI/WCAG22/Understanding/focus-visible.html). Used inside a rule:
 * `button:focus-visible { ${focusRing} }`.
 */
export const focusRing = css`
  outline: 3px solid var(--ds-focus);
  outline-offset: 2px;
`;
