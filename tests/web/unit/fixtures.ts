// A few actions of engine/catalogue.h as the forms receive them.
import type { ActionSpec, FormContext } from '../../../web/src/logic/catalogue';

export const catalogue: ActionSpec[] = [
  {
    name: 'set_lab_subsidy',
    help: "Subsidise your bloc's AI labs (split by their compute).",
    params: [{ name: 'usd_b', type: 'number', min: 0, max: 100, unit: '$B per quarter', help: 'subsidy paid to your labs', actorKinds: [] }],
    seats: ['us', 'cn', 'eu'],
  },
  {
    name: 'set_export_tier',
    help: 'Chip export tier for a destination.',
    params: [
      { name: 'target', type: 'bloc', min: 0, max: 0, unit: '', help: 'destination bloc (CN, EU, SEA, ROW)', actorKinds: [] },
      { name: 'tier', type: 'integer', min: 0, max: 3, unit: 'tier', help: '0 ban, 1 downgraded only, 2 licensed, 3 open', actorKinds: [] },
    ],
    seats: ['us'],
  },
  {
    name: 'set_anti_distillation_law',
    help: 'Outlaw distillation attacks.',
    params: [{ name: 'on', type: 'boolean', min: 0, max: 0, unit: '', help: 'law in force', actorKinds: [] }],
    seats: ['us'],
  },
  {
    name: 'set_distillation',
    help: "Distil a foreign lab's model through its API.",
    params: [
      { name: 'target', type: 'actor', min: 0, max: 0, unit: '', help: 'lab to distil', actorKinds: ['lab'] },
      { name: 'intensity', type: 'number', min: 0, max: 1, unit: 'share', help: 'campaign intensity', actorKinds: [] },
    ],
    seats: ['cn_lab', 'us_lab'],
  },
  {
    name: 'set_export_promotion',
    help: "Promote your bloc's AI stack in one market.",
    params: [
      { name: 'market', type: 'market', min: 0, max: 0, unit: '', help: 'market: US, CN, EU or ROW', actorKinds: [] },
      { name: 'usd_b', type: 'number', min: 0, max: 20, unit: '$B per quarter', help: 'spending', actorKinds: [] },
    ],
    seats: [],
  },
];

export const ctx = (self: string): FormContext => ({
  self,
  actors: [
    { id: 'us', name: 'United States', kind: 'government' },
    { id: 'cn', name: 'China', kind: 'government' },
    { id: 'us_lab', name: 'US frontier lab', kind: 'lab' },
    { id: 'cn_lab', name: 'Chinese frontier lab', kind: 'lab' },
    { id: 'eu_lab', name: 'European lab', kind: 'lab' },
  ],
  markets: ['US', 'CN', 'EU', 'ROW'],
  blocs: ['US', 'CN', 'EU', 'SEA', 'ROW'],
});
