/**
 * Sample stores: spread round-robin over the chosen chains, named after real Australian suburbs,
 * with store ids shaped like each chain's (`COL:403`, `1044`, `G467`, `21981`), each in a price
 * zone of its chain or rogue (priced on its own).
 */
import { slugify } from './catalogue.js';
import { COMPANY_CODE, type SampleCompany } from './companies.js';
import { Random, hashString, seedWords } from './random.js';

export interface SampleStore {
  readonly company: SampleCompany;
  /** The chain's own id: `COL:403`, `1044`, `G467`, `21981`. */
  readonly storeId: string;
  /** As the chain's scraper writes it: `Coles Findon`, `Cowra`, `cowra`, `iga local grocer north sydney`. */
  readonly storeName: string;
  /** Lower-case state or territory, as in the real scrape metadata: `nsw`. */
  readonly state: string;
  /** Price zone (0-based) of the chain; null for a rogue store, which prices on its own. */
  readonly zone: number | null;
  /** The `<slug>-<store id>` middle of the store's file names: `findon-col-403`. */
  readonly fileStem: string;
  /** Share of the chain's products the store sells: 1, or 0.4–0.8 for a store with a narrower range. */
  readonly range: number;
}

const STREAM = { suburbs: 51, ids: 52, rogue: 53, igaStyle: 54, narrow: 55, range: 56 } as const;

type State = 'nsw' | 'vic' | 'qld' | 'sa' | 'wa' | 'tas' | 'act' | 'nt';

const SUBURBS: ReadonlyArray<readonly [string, State]> = [
  ...(['Cowra', 'Edgecliff', 'Albion Park', 'North Sydney', 'Parramatta', 'Bondi Junction', 'Chatswood', 'Penrith', 'Hornsby', 'Wollongong', 'Newcastle', 'Maitland', 'Dubbo', 'Orange', 'Bathurst', 'Wagga Wagga', 'Tamworth', 'Armidale', 'Lismore', 'Ballina', 'Port Macquarie', 'Coffs Harbour', 'Nowra', 'Goulburn', 'Queanbeyan', 'Liverpool', 'Campbelltown', 'Blacktown', 'Castle Hill', 'Marrickville', 'Leichhardt', 'Cronulla', 'Manly', 'Dee Why', 'Ryde', 'Strathfield', 'Burwood', 'Bankstown', 'Hurstville', 'Kogarah', 'Mudgee', 'Broken Hill', 'Griffith', 'Albury'] as const).map((s) => [s, 'nsw'] as const),
  ...(['Boronia', 'Pakenham', 'Officer', 'Ballarat', 'Bendigo', 'Geelong', 'Shepparton', 'Mildura', 'Warrnambool', 'Traralgon', 'Frankston', 'Dandenong', 'Ringwood', 'Box Hill', 'Doncaster', 'Brunswick', 'Richmond', 'Footscray', 'Werribee', 'Sunbury', 'Craigieburn', 'Glen Waverley', 'Camberwell', 'St Kilda', 'Sale', 'Wodonga', 'Horsham', 'Torquay'] as const).map((s) => [s, 'vic'] as const),
  ...(['Woolloongabba', 'Toowong', 'Chermside', 'Carindale', 'Indooroopilly', 'Beaudesert', 'Agnes Water', 'St George', 'Toowoomba', 'Townsville', 'Cairns', 'Mackay', 'Rockhampton', 'Bundaberg', 'Hervey Bay', 'Gympie', 'Noosaville', 'Maroochydore', 'Caloundra', 'Ipswich', 'Springfield', 'Logan Central', 'Southport', 'Robina', 'Coolangatta', 'Redcliffe', 'North Lakes'] as const).map((s) => [s, 'qld'] as const),
  ...(['Findon', 'Firle', 'Kurralta Park', 'Wattle Park', 'Blair Athol', 'Glenelg', 'Norwood', 'Marion', 'Modbury', 'Elizabeth', 'Salisbury', 'Mount Barker', 'Victor Harbor', 'Mount Gambier', 'Port Augusta', 'Whyalla', 'Murray Bridge'] as const).map((s) => [s, 'sa'] as const),
  ...(['Dunsborough', 'Fremantle', 'Joondalup', 'Midland', 'Rockingham', 'Mandurah', 'Bunbury', 'Busselton', 'Geraldton', 'Albany', 'Kalgoorlie', 'Cannington', 'Morley', 'Subiaco', 'Scarborough'] as const).map((s) => [s, 'wa'] as const),
  ...(['Hobart', 'Launceston', 'Devonport', 'Burnie', 'Kingston', 'Glenorchy'] as const).map((s) => [s, 'tas'] as const),
  ...(['Belconnen', 'Woden', 'Tuggeranong', 'Gungahlin', 'Dickson', 'Manuka'] as const).map((s) => [s, 'act'] as const),
  ...(['Darwin', 'Palmerston', 'Casuarina', 'Alice Springs'] as const).map((s) => [s, 'nt'] as const),
];

/** Added to suburb names once a chain has more stores than the list has suburbs. */
const SUFFIXES = ['Central', 'North', 'South', 'Plaza', 'Village', 'Marketplace', 'Square', 'Junction'];

const IGA_STYLES = ['iga', 'iga', 'supa iga', 'iga local grocer', 'iga x-press', 'iga fresh'];

/** Aldi trades in neither Tasmania nor the Northern Territory. */
function suburbsFor(company: SampleCompany): ReadonlyArray<readonly [string, State]> {
  return company === 'aldi' ? SUBURBS.filter(([, state]) => state !== 'tas' && state !== 'nt') : SUBURBS;
}

/** The `k`-th distinct place name from a (shuffled) suburb list: suburbs, then suburbs with suffixes, then numbered. */
function place(suburbs: ReadonlyArray<readonly [string, State]>, k: number): [string, State] {
  const [suburb, state] = suburbs[k % suburbs.length] as readonly [string, State];
  const round = Math.floor(k / suburbs.length);
  if (round === 0) return [suburb, state];
  const suffix = SUFFIXES[(round - 1) % SUFFIXES.length] as string;
  const lap = Math.floor((round - 1) / SUFFIXES.length);
  return [lap === 0 ? `${suburb} ${suffix}` : `${suburb} ${suffix} ${lap + 1}`, state];
}

function storeName(company: SampleCompany, suburb: string, igaStyle: string): string {
  switch (company) {
    case 'coles':
      return `Coles ${suburb}`;
    case 'woolworths':
      return suburb;
    case 'aldi':
      return suburb.toLowerCase();
    case 'iga':
      return `${igaStyle} ${suburb.toLowerCase()}`;
  }
}

/** Store ids in the chain's style, increasing by random gaps from a typical first id. */
function storeIds(random: Random, company: SampleCompany): () => string {
  let n = { coles: 400, woolworths: 1000, aldi: 100, iga: 10_000 }[company];
  return () => {
    n += random.int(1, 29);
    switch (company) {
      case 'coles':
        return `COL:${n}`;
      case 'aldi':
        return `G${n}`;
      default:
        return String(n);
    }
  };
}

/**
 * `count` stores spread round-robin over `companies` (in the order given). Per chain,
 * `min(rogue, stores of the chain)` seeded stores are rogue; the others are dealt over the zones in
 * turn, so every zone has stores when the chain has enough. `min(narrow, zoned stores)` seeded zoned
 * stores of each chain sell a narrower range (as regional stores do): a stable 40–80% of the
 * chain's products, at their zone's prices.
 */
export function buildStores(seed: number, count: number, companies: readonly SampleCompany[], zones: number, rogue: number, narrow = 0): SampleStore[] {
  const [s0, s1] = seedWords(seed);
  const perCompany = companies.map((_, c) => Math.floor(count / companies.length) + (c < count % companies.length ? 1 : 0));
  const byCompany = companies.map((company, c) => {
    const code = COMPANY_CODE[company];
    const n = perCompany[c] as number;
    const suburbs = new Random(s0, s1, STREAM.suburbs, code).shuffle([...suburbsFor(company)]);
    const nextId = storeIds(new Random(s0, s1, STREAM.ids, code), company);
    const styles = new Random(s0, s1, STREAM.igaStyle, code);
    const rogues = new Set(new Random(s0, s1, STREAM.rogue, code, n).shuffle([...Array(n).keys()]).slice(0, Math.min(rogue, n)));
    const zoned = [...Array(n).keys()].filter((k) => !rogues.has(k));
    const narrowed = new Set(new Random(s0, s1, STREAM.narrow, code, n).shuffle(zoned).slice(0, Math.min(narrow, zoned.length)));
    const ranges = new Random(s0, s1, STREAM.range, code, n);
    let dealt = 0;
    return Array.from({ length: n }, (_, k): SampleStore => {
      const [suburb, state] = place(suburbs, k);
      const name = storeName(company, suburb, styles.pick(IGA_STYLES));
      const storeId = nextId();
      const zone = rogues.has(k) ? null : dealt++ % zones;
      const slugName = slugify(name).replace(new RegExp(`^${company}-`), '');
      const range = narrowed.has(k) ? Math.round((0.4 + 0.4 * ranges.next()) * 100) / 100 : 1;
      return { company, storeId, storeName: name, state, zone, fileStem: `${slugName}-${slugify(storeId)}`, range };
    });
  });
  // Interleave: store i belongs to companies[i % companies.length].
  const stores: SampleStore[] = [];
  for (let k = 0; stores.length < count; k++) {
    for (const list of byCompany) {
      const store = list[k];
      if (store !== undefined) stores.push(store);
    }
  }
  return stores;
}

/** A number identifying a store in price hashes. */
export function storeKey(store: SampleStore): number {
  return hashString(`${store.company}:${store.storeId}`);
}
