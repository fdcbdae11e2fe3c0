//! Calendar files (RFC 5545) of the help points, for "Thêm vào lịch" on a phone.
//!
//! Times are local times in `Asia/Ho_Chi_Minh` with the zone written out (`VTIMEZONE`), so a
//! phone set to another zone still shows 8:00 in Vietnam; lines end in CRLF and are folded at 75
//! octets on character boundaries (a Vietnamese letter is two or three octets and must not be
//! cut); each event's `UID` is the help point's id, so a changed help point replaces the event
//! the phone already has.

use chrono::{Duration, NaiveDate};

use crate::pipeline::campaign::HelpPoint;

/// The time zone every help point is in.
pub const TZID: &str = "Asia/Ho_Chi_Minh";

/// What an event needs besides the help point.
pub struct EventInfo<'a> {
    pub point: &'a HelpPoint,
    /// The event's title ("Điểm hỗ trợ số: Thôn Đông").
    pub summary: String,
    /// The text of the event: what is offered, what to bring, whom to ask.
    pub description: String,
    /// The page of the help point, absolute.
    pub url: String,
}

/// A calendar holding `events`. `host` makes the UIDs unique worldwide (`hocso.example.vn`);
/// `stamp` is the build date, the `DTSTAMP` of every event.
pub fn calendar(name: &str, host: &str, stamp: NaiveDate, events: &[EventInfo<'_>]) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//hocso//Binh dan hoc vu so//VI".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(name)),
        format!("X-WR-TIMEZONE:{TZID}"),
        "BEGIN:VTIMEZONE".into(),
        format!("TZID:{TZID}"),
        "BEGIN:STANDARD".into(),
        "DTSTART:19750613T000000".into(),
        "TZOFFSETFROM:+0700".into(),
        "TZOFFSETTO:+0700".into(),
        "TZNAME:ICT".into(),
        "END:STANDARD".into(),
        "END:VTIMEZONE".into(),
    ];
    for e in events {
        let p = e.point;
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}@{host}", p.id));
        lines.push(format!("DTSTAMP:{}T000000Z", stamp.format("%Y%m%d")));
        match p.start {
            Some(start) => {
                let end = p.end.filter(|e| *e > start).unwrap_or(start + Duration::hours(2));
                let day = p.date.format("%Y%m%d");
                lines.push(format!("DTSTART;TZID={TZID}:{day}T{}", start.format("%H%M%S")));
                lines.push(format!("DTEND;TZID={TZID}:{day}T{}", end.format("%H%M%S")));
            }
            // An old entry has hours in words only: a whole-day event, the hours in its text.
            None => {
                lines.push(format!("DTSTART;VALUE=DATE:{}", p.date.format("%Y%m%d")));
                let next = p.date.succ_opt().unwrap_or(p.date);
                lines.push(format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
            }
        }
        lines.push(format!("SUMMARY:{}", text(&e.summary)));
        lines.push(format!("LOCATION:{}", text(&p.place)));
        if !e.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", text(&e.description)));
        }
        lines.push(format!("URL:{}", e.url));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold_into(line, &mut out);
    }
    out
}

/// A TEXT value escaped (RFC 5545 §3.3.11): `\`, `;`, `,` and line breaks.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `line` with CRLF, folded so that no line holds more than 75 octets: the break goes
/// before a character that would pass the limit, and the next line starts with a space.
fn fold_into(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_vietnamese_lines_fold_on_character_boundaries() {
        let mut out = String::new();
        let line = format!("DESCRIPTION:{}", "Mang theo căn cước công dân và điện thoại. ".repeat(5));
        fold_into(&line, &mut out);
        assert!(out.ends_with("\r\n"));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.strip_suffix("\r\n"), Some(line.as_str()));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }
}
