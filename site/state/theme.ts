/** Where the colour theme the reader chose is kept between visits (read by boot.ts, written by the app). */
export const THEME_KEY = 'dockstep.theme';
