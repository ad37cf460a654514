/** US ports of entry used by the generator (CBP three-letter port codes). */

export const AIR_PORTS = [
  'JFK',
  'LAX',
  'MIA',
  'ORD',
  'SFO',
  'IAH',
  'ATL',
  'EWR',
  'SEA',
  'BOS',
  'IAD',
  'DFW',
] as const;

/** Southern border: San Ysidro, El Paso, Laredo, Nogales. */
export const SOUTH_LAND_PORTS = ['SYS', 'ELP', 'LRD', 'NOG'] as const;

/** Northern border: Detroit, Buffalo, Blaine, Champlain. */
export const NORTH_LAND_PORTS = ['DET', 'BUF', 'BLA', 'CHM'] as const;

export const LAND_PORTS = [...SOUTH_LAND_PORTS, ...NORTH_LAND_PORTS] as const;

/** Cruise and ferry departures: Miami, Port Everglades, Long Beach, Seattle. */
export const SEA_PORTS = ['MIA', 'PEV', 'LGB', 'SEA'] as const;

/** Cruise lines on sea departures (the carrier column; sea departures carry no flight). */
export const SEA_CARRIERS = ['CCL', 'RCL', 'NCL', 'MSC'] as const;

/** US airlines (IATA codes): about half of all departures by air. */
export const US_CARRIERS = ['AA', 'UA', 'DL', 'B6', 'AS'] as const;
