//! Pictures drawn at build time, as geometry that the templates turn into
//! inline SVG (no script, no request): the connection graph of an entity,
//! the timeline strip of events on a time axis, and the activity sparkline
//! of briefs per month. Everything is laid out here in integer units, so the
//! output is identical on every machine, and labels are measured (roughly,
//! but generously) so that none is cut off or overlaps another.

use serde::Serialize;

use crate::content::date::Date;

use super::context::{Counted, DateView, EntityLink, GRAPH_NODES};

/// A small drawing of an entity and its closest connections, laid out in
/// Rust so templates only place shapes.
#[derive(Debug, Clone, Serialize)]
pub struct GraphView {
    /// The top left corner of the drawing (`viewBox="{{ x }} {{ y }} {{ width }}
    /// {{ height }}"`): below zero when a label reaches past the circle.
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub nodes: Vec<GraphNode>,
    /// Co-occurrence: a line per node sharing briefs with the centre.
    pub edges: Vec<GraphEdge>,
    /// Declared ties: labelled arrows.
    pub ties: Vec<GraphTieEdge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphNode {
    pub x: i32,
    pub y: i32,
    pub r: i32,
    pub name: String,
    /// The name, as the label shows it.
    pub label: String,
    /// The label's lines: a long name is split between words.
    pub lines: Vec<String>,
    pub url: String,
    /// Briefs shared with the centre (0 for a node drawn for a tie only).
    pub count: u32,
    /// The labels of the centre's ties with this node, joined by commas.
    pub ties: String,
    pub center: bool,
    /// Where the label sits: `start`, `middle` or `end` (SVG text-anchor).
    pub anchor: &'static str,
    pub label_x: i32,
    pub label_y: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphEdge {
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
    pub width: u32,
    pub count: u32,
}

/// `text` in lines of at most `max` characters, split between words (a
/// longer word has a line of its own).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The font size of graph labels, in the drawing's units (as style.css).
const GRAPH_FONT: f64 = 12.0;
/// The distance between two lines of a label.
const GRAPH_LINE: i32 = 14;
/// The longest line of a label, in characters.
const GRAPH_LABEL_LINE: usize = 22;

/// How wide `label` is drawn, estimated from its characters: wide (CJK,
/// Hangul) glyphs take about a font size, others about six tenths of one,
/// capitals and digits a little more. Generous, so labels are never cut.
pub fn label_width(label: &str) -> i32 {
    let ems: f64 = label
        .chars()
        .map(|c| match c {
            '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF00}'..='\u{FF60}' => 1.0,
            'A'..='Z' | '0'..='9' | 'm' | 'w' => 0.72,
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | '\'' | ' ' => 0.35,
            _ => 0.6,
        })
        .sum();
    (ems * GRAPH_FONT).ceil() as i32
}

/// A declared tie of the centre entity, drawn as a labelled arrow.
#[derive(Debug, Clone)]
pub struct GraphTie {
    pub other: EntityLink,
    /// The wording, from the side the arrow starts at.
    pub label: String,
    /// True when the arrow points from the centre to `other`.
    pub outward: bool,
}

/// A labelled arrow between the centre and one node: a typed relation or a
/// position, drawn as a curve beside the straight co-occurrence line.
#[derive(Debug, Clone, Serialize)]
pub struct GraphTieEdge {
    /// An SVG path (`M … Q … …`) from the tie's subject to its object.
    pub path: String,
    pub label: String,
    pub label_x: i32,
    pub label_y: i32,
}

/// How many nodes the graph adds for ties with entities that share no
/// shown brief with the centre.
const GRAPH_TIE_NODES: usize = 6;

/// Lays out the entity at the centre and its closest connections on a circle,
/// edge width by shared briefs, and its declared ties as labelled arrows
/// (adding the nodes they lead to). Integer coordinates keep output
/// identical across machines. The drawing is widened to hold every label
/// whole.
pub fn connection_graph(
    center: &EntityLink,
    connections: &[Counted],
    ties: &[GraphTie],
) -> Option<GraphView> {
    let shown = &connections[..connections.len().min(GRAPH_NODES)];
    let mut around: Vec<(&EntityLink, u32)> = shown.iter().map(|c| (&c.entity, c.count)).collect();
    for tie in ties {
        let known = around.iter().any(|(e, _)| e.url == tie.other.url);
        if !known && around.len() < shown.len() + GRAPH_TIE_NODES {
            around.push((&tie.other, 0));
        }
    }
    if around.is_empty() {
        return None;
    }
    let (width, height) = (640i32, 300i32);
    let (cx, cy) = (width / 2, height / 2);
    let max = around.iter().map(|c| c.1).max().unwrap_or(1).max(1);
    let mut nodes = vec![GraphNode {
        x: cx,
        y: cy,
        r: 14,
        name: center.name.clone(),
        label: center.name.clone(),
        lines: wrap(&center.name, 32),
        url: center.url.clone(),
        count: 0,
        ties: String::new(),
        center: true,
        anchor: "middle",
        label_x: cx,
        label_y: cy + 30,
    }];
    let mut edges = Vec::new();
    for (i, &(entity, count)) in around.iter().enumerate() {
        let angle =
            -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / around.len() as f64;
        let (rx, ry) = (200.0, 110.0);
        let x = cx + (rx * angle.cos()).round() as i32;
        let y = cy + (ry * angle.sin()).round() as i32;
        let r = 6 + (6 * count / max) as i32;
        let (anchor, label_x) = if x > cx + 10 {
            ("start", x + r + 4)
        } else if x < cx - 10 {
            ("end", x - r - 4)
        } else {
            ("middle", x)
        };
        let lines = wrap(&entity.name, GRAPH_LABEL_LINE);
        let extra = GRAPH_LINE * (lines.len() as i32 - 1);
        // Above a node at the top, below one at the bottom, else beside it,
        // centred on it.
        let label_y = if (x - cx).abs() <= 10 {
            if y < cy {
                y - r - 6 - extra
            } else {
                y + r + 14
            }
        } else {
            y + 4 - extra / 2
        };
        if count > 0 {
            edges.push(GraphEdge {
                x1: cx,
                y1: cy,
                x2: x,
                y2: y,
                width: 1 + 4 * count / max,
                count,
            });
        }
        let labels: Vec<&str> = (ties.iter())
            .filter(|t| t.other.url == entity.url)
            .map(|t| t.label.as_str())
            .collect();
        nodes.push(GraphNode {
            x,
            y,
            r,
            name: entity.name.clone(),
            label: entity.name.clone(),
            lines,
            url: entity.url.clone(),
            count,
            ties: labels.join(", "),
            center: false,
            anchor,
            label_x,
            label_y,
        });
    }
    let tie_edges = tie_edges(&nodes, ties);
    // Each label's box, from where its anchor puts it.
    let (mut left, mut right, mut top, mut bottom) = (0, width, 0, height);
    for n in &nodes {
        let w = n.lines.iter().map(|l| label_width(l)).max().unwrap_or(0);
        let (from, to) = match n.anchor {
            "start" => (n.label_x, n.label_x + w),
            "end" => (n.label_x - w, n.label_x),
            _ => (n.label_x - w / 2, n.label_x + w / 2),
        };
        left = left.min(from - 4);
        right = right.max(to + 4);
        top = top.min(n.label_y - GRAPH_FONT as i32 - 2);
        bottom = bottom.max(n.label_y + GRAPH_LINE * (n.lines.len() as i32 - 1) + 6);
    }
    for t in &tie_edges {
        let half = label_width(&t.label) / 2;
        left = left.min(t.label_x - half - 4);
        right = right.max(t.label_x + half + 4);
        top = top.min(t.label_y - GRAPH_FONT as i32 - 2);
        bottom = bottom.max(t.label_y + 6);
    }
    Some(GraphView {
        x: left,
        y: top,
        width: (right - left) as u32,
        height: (bottom - top) as u32,
        nodes,
        edges,
        ties: tie_edges,
    })
}

/// The arrows of the centre's ties (`nodes[0]` is the centre): each a
/// curve bowed to one side of the straight line, further for each further
/// tie to the same node, ending short of the circles so the arrowhead
/// shows.
fn tie_edges(nodes: &[GraphNode], ties: &[GraphTie]) -> Vec<GraphTieEdge> {
    let center = &nodes[0];
    let mut per_node = vec![0i32; nodes.len()];
    let mut out = Vec::new();
    for tie in ties {
        let Some(n) = (1..nodes.len()).find(|&n| nodes[n].url == tie.other.url) else {
            continue;
        };
        per_node[n] += 1;
        let node = &nodes[n];
        let (from, to) = if tie.outward {
            (center, node)
        } else {
            (node, center)
        };
        let (x1, y1, x2, y2) = (
            f64::from(from.x),
            f64::from(from.y),
            f64::from(to.x),
            f64::from(to.y),
        );
        let length = (x2 - x1).hypot(y2 - y1).max(1.0);
        let (ux, uy) = ((x2 - x1) / length, (y2 - y1) / length);
        // The bow is always on the same side seen from the centre, so the
        // curves of one node stack instead of crossing.
        let side = if tie.outward { 1.0 } else { -1.0 };
        let bow = side * f64::from(22 * per_node[n]);
        let (qx, qy) = ((x1 + x2) / 2.0 - uy * bow, (y1 + y2) / 2.0 + ux * bow);
        let start = (
            x1 + ux * f64::from(from.r + 2),
            y1 + uy * f64::from(from.r + 2),
        );
        let end = (x2 - ux * f64::from(to.r + 4), y2 - uy * f64::from(to.r + 4));
        let mid_x = 0.25 * start.0 + 0.5 * qx + 0.25 * end.0;
        let mid_y = 0.25 * start.1 + 0.5 * qy + 0.25 * end.1;
        out.push(GraphTieEdge {
            path: format!(
                "M{} {} Q{} {} {} {}",
                start.0.round() as i32,
                start.1.round() as i32,
                qx.round() as i32,
                qy.round() as i32,
                end.0.round() as i32,
                end.1.round() as i32
            ),
            label: shorten(&tie.label, GRAPH_LABEL_LINE),
            label_x: mid_x.round() as i32,
            label_y: mid_y.round() as i32 - 3,
        });
    }
    out
}

/// The drawing's width, in its own units; it scales with the page.
const STRIP_WIDTH: i32 = 720;
/// Label lanes above the axis; a label that fits in none is left out (its
/// mark keeps its link and its title).
const STRIP_LANES: usize = 4;
/// The height of one lane.
const STRIP_LANE: i32 = 16;
/// The longest label, in characters (cut between words).
const STRIP_LABEL: usize = 28;

/// Events on a time axis: each a mark (a dot for a day, a bar for a month
/// or a year) linking to its entry in the list below the drawing.
#[derive(Debug, Clone, Serialize)]
pub struct Strip {
    pub width: i32,
    pub height: i32,
    /// The axis line's height in the drawing.
    pub axis_y: i32,
    pub ticks: Vec<Tick>,
    pub marks: Vec<Mark>,
    /// Positions held over the strip's time, below the axis.
    pub periods: Vec<PeriodBar>,
}

/// A position for the strip: from a start to an end, either unknown (or
/// the end still to come), then drawn to the edge.
pub struct StripPeriod<'a> {
    pub from: Option<&'a DateView>,
    pub until: Option<&'a DateView>,
    /// Shown on the bar: `Minister of Defence`.
    pub label: &'a str,
    /// For the tooltip: `Minister of Defence, Ministry of Defence: 2012–2024`.
    pub title: String,
    pub url: &'a str,
}

/// A position drawn as a bar in a lane of its own below the axis.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodBar {
    pub x: i32,
    pub w: i32,
    pub y: i32,
    pub label: String,
    pub label_x: i32,
    pub title: String,
    pub url: String,
    /// True when the position began before the strip's time (or its start
    /// is unknown), or goes on after it: the bar's end is open.
    pub open_start: bool,
    pub open_end: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: i32,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    /// Where the event starts and how long its period is drawn (0 for a day).
    pub x: i32,
    pub w: i32,
    /// The link to the event's entry (`#event-kim-arrives-1`).
    pub url: String,
    /// "12 September 2023: Kim crosses the border", for the tooltip.
    pub title: String,
    /// The label shown above the axis, if one fits.
    pub label: Option<String>,
    pub label_x: i32,
    pub label_y: i32,
    /// `start` or `end` (SVG text-anchor): labels near the right edge end
    /// at their mark.
    pub anchor: &'static str,
}

/// One event for the strip.
pub struct StripEvent<'a> {
    pub date: &'a Date,
    pub display: &'a str,
    pub title: &'a str,
    pub url: String,
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days(year: i32, month: u32, day: u32) -> i64 {
    // Howard Hinnant's days_from_civil.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The days a date covers: a day, a whole month or a whole year.
fn period(date: &Date) -> (i64, i64) {
    days_covered(date.year, date.month, date.day)
}

/// The days of the day, month or year given.
fn days_covered(year: i32, month: Option<u32>, day: Option<u32>) -> (i64, i64) {
    let start = days(year, month.unwrap_or(1), day.unwrap_or(1));
    let end = match (month, day) {
        (_, Some(_)) => start + 1,
        (Some(12), None) | (None, _) => days(year + 1, 1, 1),
        (Some(m), None) => days(year, m + 1, 1),
    };
    (start, end)
}

/// The most positions a strip draws.
const STRIP_PERIODS: usize = 6;
/// The height of a position's lane.
const STRIP_PERIOD_LANE: i32 = 18;

/// The room the bars of positions take below the axis's labels.
fn bars_height(bars: &[PeriodBar]) -> i32 {
    if bars.is_empty() {
        0
    } else {
        4 + STRIP_PERIOD_LANE * bars.len() as i32
    }
}

/// The bars of the `periods` that overlap the strip's days `from..to`,
/// each cut to them, in lanes from `top` down.
fn period_bars(
    periods: &[StripPeriod],
    (from, to): (i64, i64),
    x_of: &dyn Fn(i64) -> i32,
    top: i32,
) -> Vec<PeriodBar> {
    let mut bars = Vec::new();
    for p in periods {
        let start = p.from.map(|d| days_covered(d.year, d.month, d.day).0);
        let end = p.until.map(|d| days_covered(d.year, d.month, d.day).1);
        if start.is_some_and(|s| s >= to) || end.is_some_and(|e| e <= from) {
            continue;
        }
        let (open_start, open_end) = (start.is_none_or(|s| s < from), end.is_none_or(|e| e > to));
        let x = x_of(start.unwrap_or(from).max(from));
        let w = (x_of(end.unwrap_or(to).min(to)) - x).max(3);
        let y = top + bars.len() as i32 * STRIP_PERIOD_LANE;
        let label = shorten(p.label, STRIP_LABEL);
        // Inside the bar from its left end, or, for a short bar near the
        // right edge, ending at its right end.
        let label_x = if x + label_width(&label) > STRIP_WIDTH - 8 {
            (x + w - label_width(&label)).max(0)
        } else {
            x
        };
        bars.push(PeriodBar {
            x,
            w,
            y,
            label,
            label_x,
            title: p.title.clone(),
            url: p.url.to_string(),
            open_start,
            open_end,
        });
        if bars.len() == STRIP_PERIODS {
            break;
        }
    }
    bars
}

/// Ticks on the axis between two days: the first of January of every
/// year (or every few) over a span of more than eighteen months, else the
/// first of every month (or every few).
fn tick_days(from: i64, to: i64, months: &dyn Fn(i64) -> String) -> Vec<(i64, String)> {
    let span = to - from;
    let (first_year, _) = civil(from);
    let mut ticks = Vec::new();
    if span > 540 {
        let years = span / 365;
        let step = (years / 7 + 1) as i32;
        let mut year = first_year;
        while days(year, 1, 1) <= to {
            let d = days(year, 1, 1);
            if d >= from && year % step == 0 {
                ticks.push((d, year.to_string()));
            }
            year += 1;
        }
    } else {
        let step = (span / 30 / 7 + 1) as u32;
        let (mut year, mut month) = (first_year, 1u32);
        while days(year, month, 1) <= to {
            let d = days(year, month, 1);
            if d >= from && (month - 1) % step == 0 {
                ticks.push((d, months(d)));
            }
            month += 1;
            if month > 12 {
                (year, month) = (year + 1, 1);
            }
        }
    }
    ticks
}

/// The year and month of a day since 1970-01-01.
fn civil(day: i64) -> (i32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month as u32)
}

/// `text` cut between words to at most `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short = String::new();
    for word in text.split_whitespace() {
        if short.chars().count() + word.chars().count() + 2 > max {
            break;
        }
        if !short.is_empty() {
            short.push(' ');
        }
        short.push_str(word);
    }
    if short.is_empty() {
        short = text.chars().take(max - 1).collect();
    }
    short.push('…');
    short
}

/// Lays out events (in time order) on a time axis, with the `periods`
/// (positions) that overlap it as bars below. `month_label` names the
/// first day of a month for the axis (`Sep 2023`), in the site's language.
pub fn timeline_strip(
    events: &[StripEvent],
    periods: &[StripPeriod],
    month_label: &dyn Fn(i32, u32) -> String,
) -> Option<Strip> {
    if events.is_empty() {
        return None;
    }
    let spans: Vec<(i64, i64)> = events.iter().map(|e| period(e.date)).collect();
    let mut from = spans.iter().map(|p| p.0).min()?;
    let mut to = spans.iter().map(|p| p.1).max()?;
    if to - from < 60 {
        let middle = (from + to) / 2;
        (from, to) = (middle - 30, middle + 30);
    }
    let pad = (to - from) / 30 + 1;
    (from, to) = (from - pad, to + pad);
    let (left, right) = (8, STRIP_WIDTH - 8);
    let x_of = |day: i64| left + ((day - from) * i64::from(right - left) / (to - from)) as i32;
    let axis_y = 14 + STRIP_LANES as i32 * STRIP_LANE;
    let month_of = |d: i64| {
        let (y, m) = civil(d);
        month_label(y, m)
    };
    // A tick's label is centred on it: none may stick out of the drawing.
    let ticks = tick_days(from, to, &month_of)
        .into_iter()
        .map(|(d, label)| Tick { x: x_of(d), label })
        .filter(|t| {
            let half = label_width(&t.label) / 2;
            t.x - half >= 0 && t.x + half <= STRIP_WIDTH
        })
        .collect();
    // Lanes fill from the axis up; each remembers where its last label ends.
    let mut lane_end = [i32::MIN; STRIP_LANES];
    let marks = events
        .iter()
        .zip(&spans)
        .map(|(event, &(start, end))| {
            let x = x_of(start);
            let w = if end - start > 1 {
                (x_of(end) - x).max(3)
            } else {
                0
            };
            let label = shorten(event.title, STRIP_LABEL);
            let width = label_width(&label);
            let (anchor, label_x, from_x, to_x) = if x + width > right {
                ("end", x + w.max(1), x + w - width, x + w)
            } else {
                ("start", x, x, x + width)
            };
            let lane = (0..STRIP_LANES).find(|&l| lane_end[l] + 6 <= from_x);
            if let Some(l) = lane {
                lane_end[l] = to_x;
            }
            Mark {
                x,
                w,
                url: event.url.clone(),
                title: format!("{}: {}", event.display, event.title),
                label: lane.map(|_| label),
                label_x,
                label_y: lane.map_or(0, |l| axis_y - 8 - l as i32 * STRIP_LANE),
                anchor,
            }
        })
        .collect();
    let bars = period_bars(periods, (from, to), &x_of, axis_y + 24);
    Some(Strip {
        width: STRIP_WIDTH,
        height: axis_y + 22 + bars_height(&bars),
        axis_y,
        ticks,
        marks,
        periods: bars,
    })
}

/// How many months a sparkline covers.
pub const SPARK_MONTHS: i32 = 24;

/// Briefs per month over [`SPARK_MONTHS`] months, as bars.
#[derive(Debug, Clone, Serialize)]
pub struct Sparkline {
    pub width: i32,
    pub height: i32,
    /// The bars of the months with briefs, as one SVG path (a sparkline is
    /// drawn beside every entity of a list: it must stay small).
    pub path: String,
    /// Briefs in the period, for the drawing's label.
    pub total: usize,
    /// The period, for the label: `October 2021`, `September 2023`.
    pub first: String,
    pub last: String,
}

/// The month index (`year * 12 + month - 1`) of a date.
pub fn month_index(date: &Date) -> i32 {
    date.year * 12 + date.month.unwrap_or(1) as i32 - 1
}

/// How many of `months` (month indices, newest first) fall in each of the
/// [`SPARK_MONTHS`] months ending with month index `last`.
pub fn monthly_counts(
    months: impl Iterator<Item = i32>,
    last: i32,
) -> [usize; SPARK_MONTHS as usize] {
    let first = last - SPARK_MONTHS + 1;
    let mut counts = [0usize; SPARK_MONTHS as usize];
    for m in months.take_while(|&m| m >= first) {
        if m <= last {
            counts[(m - first) as usize] += 1;
        }
    }
    counts
}

/// The sparkline of [`monthly_counts`] ending with month index `last`;
/// `month_name` names a month for the label.
pub fn sparkline(
    counts: &[usize; SPARK_MONTHS as usize],
    last: i32,
    month_name: &dyn Fn(i32, u32) -> String,
) -> Sparkline {
    let first = last - SPARK_MONTHS + 1;
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let (bar, height) = (3, 16);
    let mut path = String::new();
    for (i, &c) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        let h = (1 + c * (height as usize - 1) / max) as i32;
        path.push_str(&format!("M{} {}h2v{h}h-2z", i as i32 * bar, height - h));
    }
    let name = |m: i32| month_name(m.div_euclid(12), (m.rem_euclid(12) + 1) as u32);
    Sparkline {
        width: SPARK_MONTHS * bar,
        height,
        path,
        total: counts.iter().sum(),
        first: name(first),
        last: name(last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_months_round_trip() {
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(days(2023, 9, 12), 19_612);
        assert_eq!(civil(19_612), (2023, 9));
        assert_eq!(civil(days(2000, 2, 29)), (2000, 2));
    }

    #[test]
    fn labels_in_one_lane_never_overlap() {
        let dates: Vec<Date> = (1..=28)
            .map(|d| Date::parse(&format!("2023-09-{d:02}")).unwrap())
            .collect();
        let events: Vec<StripEvent> = dates
            .iter()
            .map(|d| StripEvent {
                date: d,
                display: "x",
                title: "An event with a long enough title",
                url: String::new(),
            })
            .collect();
        let strip = timeline_strip(&events, &[], &|y, m| format!("{m}/{y}")).unwrap();
        let mut boxes: Vec<(i32, i32, i32)> = strip
            .marks
            .iter()
            .filter_map(|m| {
                let w = label_width(m.label.as_ref()?);
                let from = if m.anchor == "end" {
                    m.label_x - w
                } else {
                    m.label_x
                };
                Some((m.label_y, from, from + w))
            })
            .collect();
        assert!(boxes.len() >= STRIP_LANES);
        boxes.sort();
        for pair in boxes.windows(2) {
            if pair[0].0 == pair[1].0 {
                assert!(pair[0].2 <= pair[1].1, "{pair:?}");
            }
        }
        assert!(
            strip
                .marks
                .iter()
                .all(|m| m.x >= 0 && m.x + m.w <= strip.width)
        );
    }

    #[test]
    fn partial_dates_are_spans() {
        let year = Date::parse("2021").unwrap();
        let day = Date::parse("2023-09-12").unwrap();
        let events = [
            StripEvent {
                date: &year,
                display: "2021",
                title: "A year",
                url: String::new(),
            },
            StripEvent {
                date: &day,
                display: "12 September 2023",
                title: "A day",
                url: String::new(),
            },
        ];
        let strip = timeline_strip(&events, &[], &|y, m| format!("{m}/{y}")).unwrap();
        assert!(strip.marks[0].w > 100, "{:?}", strip.marks[0]);
        assert_eq!(strip.marks[1].w, 0);
        let labels: Vec<&str> = strip.ticks.iter().map(|t| t.label.as_str()).collect();
        assert!(labels.contains(&"2022"), "{labels:?}");
    }

    #[test]
    fn sparkline_counts_months() {
        let last = 2023 * 12 + 8;
        let counts = monthly_counts(
            [last + 1, last, last, last - 1, last - 30, last - 1].into_iter(),
            last,
        );
        let line = sparkline(&counts, last, &|y, m| format!("{m}/{y}"));
        assert_eq!(line.total, 3);
        assert_eq!(line.path, "M66 8h2v8h-2zM69 0h2v16h-2z");
        assert_eq!(line.last, "9/2023");
        assert_eq!(line.first, "10/2021");
    }
}
