// What a scenario tells the room before and during a game: its seats with
// their briefing and objectives, and its event table for injects. Filled from
// the server's scenario messages (issue #17, point 2).
import type { ActionSpec } from './catalogue';

export interface Objective {
  text: string; // what the metric measures, with its unit
  weight: number;
  metric: string;
}

export interface SeatInfo {
  id: string;
  name: string;
  kind: string; // government, vendor, lab
  bloc: string;
  briefing: string;
  objectives: Objective[];
  defaultBot: string; // the scenario's bot for the seat; empty: none
}

export interface EventInfo {
  id: string;
  title: string;
  description: string;
}

export interface ScenarioInfo {
  path: string;
  name: string;
  description: string;
  rounds: number;
  start: string;
  seats: SeatInfo[];
  events: EventInfo[];
  injects: ActionSpec[]; // the engine's, fired by the facilitator with parameters
}

export function seatNames(info: ScenarioInfo | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of info?.seats ?? []) out[s.id] = s.name;
  return out;
}
