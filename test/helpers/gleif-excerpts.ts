// The real GLEIF golden-copy excerpts of test/fixtures/gleif (copies of published files) that the
// assertion tests start from, and the entities in them each test relies on, named once with why.
import path from 'node:path';

export const GLEIF_FIXTURES = path.resolve(__dirname, '../fixtures/gleif');

/** Level 1, relationships, reporting exceptions: imported in this order. */
export const GLEIF_EXCERPTS = ['lei-cdf31_goldencopy_2023-06-05_excerpt.xml', 'rr-cdf21_goldencopy_2023-06-05_excerpt.xml', 'repex21_goldencopy_2023-06-09_excerpt.xml'].map((f) =>
  path.join(GLEIF_FIXTURES, f),
);

/** A date after all three files' content dates. */
export const EXCERPTS_AS_OF = '2023-06-10';

export const EXCERPT_LEI = {
  /** reporting exception NON_PUBLIC: GLEIF withholds its parent */
  withheld: '01370W6ZIY66KQ4J3570',
  /** Swedeit Italian Aktiebolag (SE): no relationship record, no exception: its owners are unknown */
  swedeit: '213800BJPX8V9HVY1Y11',
  /** a registry "directly consolidated by" link: this parent (known only as a reference, no country)… */
  parent: 'ZZG38T0MDR3QY1ETUA76',
  /** … consolidates this child */
  child: '010CMKZ3VON21WF2ZD45',
  /** ESG DOMESTIC OPPORTUNITY OFFSHORE FUND LTD.: jurisdiction and legal address KY, headquarters CW */
  esg: '00TR8NKAEL48RGTZEW89',
} as const;
