/** The version of tektite's CLI (`tkt --version`, `tkt version`). */
export const TKT_VERSION = '0.1.0';
