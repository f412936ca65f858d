/**
 * The RFC 1661 §4.1 state transition table, written as the RFC prints it and parsed once at load.
 * A cell is "actions/next-state" ("-" = the event is ignored in that state). Suffixes r, x and p
 * (restart, crossed connection, passive options) are notes in the RFC and change nothing here.
 */

export const FSM_STATES = [
  'initial',
  'starting',
  'closed',
  'stopped',
  'closing',
  'stopping',
  'req-sent',
  'ack-rcvd',
  'ack-sent',
  'opened',
] as const;
export type FsmState = (typeof FSM_STATES)[number];

export const FSM_EVENTS = ['Up', 'Down', 'Open', 'Close', 'TO+', 'TO-', 'RCR+', 'RCR-', 'RCA', 'RCN', 'RTR', 'RTA', 'RUC', 'RXJ+', 'RXJ-', 'RXR'] as const;
export type FsmEvent = (typeof FSM_EVENTS)[number];

/** RFC 1661 §4.4 actions. */
export type FsmAction = 'tlu' | 'tld' | 'tls' | 'tlf' | 'irc' | 'zrc' | 'scr' | 'sca' | 'scn' | 'str' | 'sta' | 'scj' | 'ser';

export interface Transition {
  actions: FsmAction[];
  next: FsmState;
}

// prettier-ignore
const TABLE = `
       | 0          1          2          3              4        5        6          7          8          9
       | Initial    Starting   Closed     Stopped        Closing  Stopping Req-Sent   Ack-Rcvd   Ack-Sent   Opened
 Up    | 2          irc,scr/6  -          -              -        -        -          -          -          -
 Down  | -          -          0          tls/1          0        1        1          1          1          tld/1
 Open  | tls/1      1          irc,scr/6  3r             5r       5r       6          7          8          9r
 Close | 0          tlf/0      2          2              4        4        irc,str/4  irc,str/4  irc,str/4  tld,irc,str/4
 TO+   | -          -          -          -              str/4    str/5    scr/6      scr/6      scr/8      -
 TO-   | -          -          -          -              tlf/2    tlf/3    tlf/3p     tlf/3p     tlf/3p     -
 RCR+  | -          -          sta/2      irc,scr,sca/8  4        5        sca/8      sca,tlu/9  sca/8      tld,scr,sca/8
 RCR-  | -          -          sta/2      irc,scr,scn/6  4        5        scn/6      scn/7      scn/6      tld,scr,scn/6
 RCA   | -          -          sta/2      sta/3          4        5        irc/7      scr/6x     irc,tlu/9  tld,scr/6x
 RCN   | -          -          sta/2      sta/3          4        5        irc,scr/6  scr/6x     irc,scr/8  tld,scr/6x
 RTR   | -          -          sta/2      sta/3          sta/4    sta/5    sta/6      sta/6      sta/6      tld,zrc,sta/5
 RTA   | -          -          2          3              tlf/2    tlf/3    6          6          8          tld,scr/6
 RUC   | -          -          scj/2      scj/3          scj/4    scj/5    scj/6      scj/7      scj/8      scj/9
 RXJ+  | -          -          2          3              4        5        6          6          8          9
 RXJ-  | -          -          tlf/2      tlf/3          tlf/2    tlf/3    tlf/3      tlf/3      tlf/3      tld,irc,str/5
 RXR   | -          -          2          3              4        5        6          7          8          ser/9
`;

function parseTable(): Record<FsmEvent, Record<FsmState, Transition | null>> {
  const out = {} as Record<FsmEvent, Record<FsmState, Transition | null>>;
  for (const line of TABLE.split('\n')) {
    const [head, rest] = line.split('|');
    const event = head?.trim() as FsmEvent;
    if (!rest || !FSM_EVENTS.includes(event)) continue;
    const cells = rest.trim().split(/\s+/);
    if (cells.length !== FSM_STATES.length) throw new Error(`RFC 1661 table row ${event} has ${cells.length} cells`);
    const row = {} as Record<FsmState, Transition | null>;
    FSM_STATES.forEach((state, i) => {
      const cell = cells[i];
      if (cell === '-') {
        row[state] = null;
        return;
      }
      const slash = cell.lastIndexOf('/');
      const actionText = slash < 0 ? '' : cell.slice(0, slash);
      const nextIndex = Number.parseInt(cell.slice(slash + 1), 10);
      row[state] = {
        actions: actionText === '' ? [] : (actionText.split(',') as FsmAction[]),
        next: FSM_STATES[nextIndex],
      };
    });
    out[event] = row;
  }
  for (const event of FSM_EVENTS) if (!out[event]) throw new Error(`RFC 1661 table lacks row ${event}`);
  return out;
}

/** TRANSITIONS[event][state]: what RFC 1661 §4.1 says to do, or null when the event is ignored. */
export const TRANSITIONS = parseTable();
