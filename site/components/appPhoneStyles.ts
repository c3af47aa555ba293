import { css } from 'lit';

/**
 * The page on a phone (ds-app.ts): a header of one line (the title, and a Settings button that
 * shows the language, profile, theme, presenter and permalink controls), so that with the
 * compact controls (ds-controls.ts) the diagram's current message is on the first screen.
 */
export const appPhoneStyles = css`
  #settings-toggle {
    display: none;
  }
  @media (max-width: 600px) {
    /* One column as wide as the window: a child's widest line (the title) cannot widen the page. */
    :host {
      grid-template-columns: minmax(0, 1fr);
    }
    header {
      flex-wrap: wrap;
      padding: 0.3rem 0.6rem;
    }
    /* The title and the Settings button share the first row; open, the settings wrap below. */
    h1 {
      flex: 1 1 calc(100% - 9rem);
      min-width: 0;
      font-size: 1rem;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    #settings-toggle {
      display: inline-block;
    }
    :host(:not([settings-open])) header > :is(label, button:not(#settings-toggle)) {
      display: none;
    }
    ds-controls {
      padding: 0.3rem 0.6rem;
    }
    main {
      padding: 0.5rem 0.6rem;
    }
  }
`;
