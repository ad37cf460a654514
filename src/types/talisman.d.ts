// talisman ships no type declarations; these are the metrics ImmigrationOS uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro-Winkler similarity in [0, 1] (1: identical). */
  const jaroWinkler: (a: string, b: string) => number;
  export default jaroWinkler;
}
