// Reads every .ics file of the directory given as argument with ical.js (Thunderbird's
// parser) as a calendar client would, and prints one JSON line: {file: error message}
// for each file it could not read ({} when all were read). tests/calendar_bodies.py runs it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ICAL from "ical.js";

// Enough to reach every override of the suite's series without walking an unbounded rule.
const OCCURRENCES = 500;

function readCalendar(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  // Thunderbird resolves TZID parameters against the calendar's own VTIMEZONEs.
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const masters = new Map();
  const overrides = [];
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    if (event.isRecurrenceException()) {
      overrides.push(event);
    } else {
      masters.set(event.uid, event);
    }
  }
  for (const override of overrides) {
    // An invitation may carry one occurrence without its series: it stands alone.
    masters.get(override.uid)?.relateException(override);
    override.startDate.toJSDate();
    override.endDate?.toJSDate();
  }
  for (const event of masters.values()) {
    if (!event.isRecurring()) {
      event.startDate.toJSDate();
      event.endDate?.toJSDate();
      continue;
    }
    const occurrences = event.iterator();
    for (let count = 0; count < OCCURRENCES; count++) {
      const next = occurrences.next();
      if (!next) break;
      event.getOccurrenceDetails(next).endDate.toJSDate();
    }
  }
}

const directory = process.argv[2];
const failures = {};
for (const file of readdirSync(directory).filter((name) => name.endsWith(".ics")).sort()) {
  try {
    readCalendar(readFileSync(join(directory, file), "utf8"));
  } catch (error) {
    failures[file] = String(error?.message ?? error);
  } finally {
    ICAL.TimezoneService.reset();
  }
}
process.stdout.write(JSON.stringify(failures) + "\n");
