//! Maps drawn at build time as inline SVG (no tiles, no script, no request
//! off the site): the world map of all places, the locator map of one
//! place, and the small inset map of the places a brief or an entity names.
//!
//! This module owns the base map and its projection. The base map is
//! Natural Earth land and country borders (public domain), simplified once
//! by `scripts/make-world-map` into `maps/world.txt`, which is compiled in
//! and parsed on first use (see `maps/ATTRIBUTION.md`). It holds two levels
//! of detail: `coarse` (1:110m) for the world and wide crops, `fine`
//! (1:50m) for regional crops.
//!
//! Projections. The world map uses the Natural Earth projection (Tom
//! Patterson's design, as the polynomial of Šavrič et al., 2011): a
//! compromise projection made for small scale world maps, with rounded
//! corners and little distortion of the inhabited latitudes. A regional crop uses the equirectangular projection
//! with its horizontal scale multiplied by the cosine of the crop's middle
//! latitude, so that shapes are true at the centre of the crop and close to
//! it within the few tens of degrees a crop shows; a rectangle of longitudes
//! and latitudes stays a rectangle, so culling and clipping work in degrees.
//! Both projections take a point with additions and multiplications only
//! (the Natural Earth projection is a polynomial of the latitude, the
//! cosine of a crop is a fixed series), never the platform's `sin` or
//! `ln`, so a map is the same bytes on every machine.
//!
//! What a page shows. [`render`] returns one `<svg>` element with a
//! `<title>` that names it (`aria-labelledby`), `role="group"` when a
//! marker is a link (so the links stay links, as in the connection graph)
//! and `role="img"` otherwise. Each linked marker is an `<a href>` whose
//! `<title>` is the place's name (the tooltip); a marker without a link is
//! a `<circle>` with that `<title>`. The SVG has no colour: the classes
//! `map` (with `map-world`, `map-locator` or `map-inset`), `map-sea`,
//! `map-land`, `map-border`, `map-markers` (the group of markers) and
//! `map-marker-current` (the place of a locator map) are styled by the
//! theme (`static/maps.css`), which follows the dark colour scheme. The map
//! is not the only way to the places: the page template also renders the
//! same places as a text list, which this module does not write.
//!
//! Size. Paths use whole units, relative moves and no needless separators,
//! and leave out what lies outside the view, so a crop weighs 1–10 KB and
//! the world map about 16 KB before its markers. A map never passes
//! [`MAX_BYTES`]: on a world map of very many places, the lightest markers
//! that would not fit are left out (the page's list still has them).
//!
//! Longitudes wrap: a crop around the antimeridian (places at 179° and
//! −179°, Chukotka) draws the land on both sides. A marker whose latitude
//! or longitude is not a finite number, or whose latitude lies outside
//! ±90°, is left out; nothing here panics on any input.

use std::fmt::Write;
use std::sync::{Arc, LazyLock, Mutex};

use crate::text::escape_html;

/// A place on a map.
#[derive(Debug, Clone, Copy)]
pub struct Marker<'a> {
    /// Latitude in degrees, north positive.
    pub lat: f64,
    /// Longitude in degrees, east positive; any value wraps.
    pub lon: f64,
    /// The place's name: the marker's tooltip and accessible name.
    pub label: &'a str,
    /// Where the marker links to, as it is written in the page (escaped
    /// here); no link when `None`.
    pub href: Option<&'a str>,
    /// How much the place counts (the number of briefs on the world map):
    /// the marker's area grows with it. On a locator map, ignored.
    pub weight: u32,
}

/// Which map: its size, its extent and how its markers are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// All places on the whole world (`/places/`): 960 units wide, marker
    /// size by weight.
    World,
    /// One place's page: a regional crop (at least about 30° of longitude
    /// at the equator, 3300 km) centred on the first marker, which is
    /// highlighted; other markers in view are drawn as neighbours.
    Locator,
    /// A small map beside a brief or an entity: a crop that fits all
    /// markers with some room around them (at least about 20° wide), or the
    /// world when they are spread too far for a crop.
    Inset,
}

/// The base map, as written by `scripts/make-world-map`.
const DATA: &str = include_str!("maps/world.txt");

/// One land ring or border line, in whole quanta of its level.
struct Shape {
    points: Vec<[i32; 2]>,
    /// Its extent in degrees: west, south, east, north.
    bbox: [f64; 4],
    /// The extent of each run of [`CHUNK`] points, in quanta.
    chunks: Vec<[i32; 4]>,
}

/// The points a shape's chunks hold.
const CHUNK: usize = 32;

/// The extent of `points` (at least one): west, south, east, north.
fn extent(points: &[[i32; 2]]) -> [i32; 4] {
    let mut bbox = [points[0][0], points[0][1], points[0][0], points[0][1]];
    for p in points {
        bbox = [
            bbox[0].min(p[0]),
            bbox[1].min(p[1]),
            bbox[2].max(p[0]),
            bbox[3].max(p[1]),
        ];
    }
    bbox
}

/// One level of detail.
struct Level {
    quantum: f64,
    land: Vec<Shape>,
    borders: Vec<Shape>,
}

struct Base {
    coarse: Level,
    fine: Level,
}

static BASE: LazyLock<Base> = LazyLock::new(|| parse(DATA));

/// The numbers of one polyline-encoded line (5-bit groups, each plus 63,
/// zigzagged sign). A number cut short at the end of the line is dropped.
fn decode(line: &str) -> Vec<i32> {
    let mut numbers = Vec::with_capacity(line.len());
    let mut value: i64 = 0;
    let mut shift = 0;
    for byte in line.bytes() {
        let bits = i64::from(byte.saturating_sub(63));
        if shift < 60 {
            value |= (bits & 0x1f) << shift;
        }
        if bits & 0x20 != 0 {
            shift += 5;
            continue;
        }
        let signed = if value & 1 == 1 {
            !(value >> 1)
        } else {
            value >> 1
        };
        numbers.push(i32::try_from(signed).unwrap_or(0));
        value = 0;
        shift = 0;
    }
    numbers
}

fn shape(line: &str, quantum: f64) -> Option<Shape> {
    let numbers = decode(line);
    let mut points = Vec::with_capacity(numbers.len() / 2);
    let (mut x, mut y) = (0i32, 0i32);
    for pair in numbers.chunks_exact(2) {
        x = x.wrapping_add(pair[0]);
        y = y.wrapping_add(pair[1]);
        points.push([x, y]);
    }
    if points.is_empty() {
        return None;
    }
    let bbox = extent(&points).map(|v| f64::from(v) * quantum);
    let chunks = points.chunks(CHUNK).map(extent).collect();
    Some(Shape {
        points,
        bbox,
        chunks,
    })
}

fn parse(data: &str) -> Base {
    let mut levels: Vec<(String, Level)> = Vec::new();
    for line in data.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("level ") {
            let mut words = rest.split(' ');
            let name = words.next().unwrap_or("").to_string();
            let quantum = words.next().and_then(|q| q.parse().ok()).unwrap_or(0.1);
            levels.push((
                name,
                Level {
                    quantum,
                    land: Vec::new(),
                    borders: Vec::new(),
                },
            ));
            continue;
        }
        let Some((_, level)) = levels.last_mut() else {
            continue;
        };
        let quantum = level.quantum;
        let (Some(kind), Some(rest)) = (line.get(..1), line.get(1..)) else {
            continue;
        };
        let Some(shape) = shape(rest, quantum) else {
            continue;
        };
        match kind {
            "L" if shape.points.len() >= 3 => level.land.push(shape),
            "B" if shape.points.len() >= 2 => level.borders.push(shape),
            _ => {}
        }
    }
    let mut take = |name: &str| {
        levels
            .iter()
            .position(|(n, _)| n == name)
            .map(|i| levels.remove(i).1)
            .unwrap_or(Level {
                quantum: 0.1,
                land: Vec::new(),
                borders: Vec::new(),
            })
    };
    let coarse = take("coarse");
    let fine = take("fine");
    Base { coarse, fine }
}

// ---------------------------------------------------------------------------
// Projections
// ---------------------------------------------------------------------------

const RADIANS: f64 = std::f64::consts::PI / 180.0;

/// The Natural Earth projection of (longitude, latitude) in radians, in
/// units of the Earth's radius (x east, y north).
fn natural_earth(lambda: f64, phi: f64) -> (f64, f64) {
    let p2 = phi * phi;
    let p4 = p2 * p2;
    let p6 = p4 * p2;
    let p8 = p4 * p4;
    let p10 = p8 * p2;
    let p12 = p6 * p6;
    let x = lambda * (0.8707 - 0.131979 * p2 - 0.013791 * p4 + 0.003971 * p10 - 0.001529 * p12);
    let y = phi * (1.007226 + 0.015085 * p2 - 0.044475 * p6 + 0.028874 * p8 - 0.005916 * p10);
    (x, y)
}

/// The cosine of an angle of at most 90° in degrees, by its Taylor series
/// (error below 1e-11), the same on every platform.
fn cos_degrees(degrees: f64) -> f64 {
    let x = (degrees.abs().min(90.0)) * RADIANS;
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=10 {
        let n = f64::from(n);
        term *= -x2 / ((2.0 * n - 1.0) * (2.0 * n));
        sum += term;
    }
    sum.max(0.0)
}

/// How a map places a point: in SVG units, x right and y down.
#[derive(Debug, Clone, Copy)]
enum Projection {
    /// The world, by the Natural Earth projection: x = (projected x) ·
    /// scale + dx, y = dy − (projected y) · scale.
    World { scale: f64, dx: f64, dy: f64 },
    /// A crop: x = (longitude − west) · k · scale, y = (north − latitude) ·
    /// scale, longitudes counted eastwards from `west` (which may lie past
    /// ±180°).
    Crop {
        west: f64,
        north: f64,
        k: f64,
        scale: f64,
    },
}

impl Projection {
    /// A point in degrees (a crop takes longitudes past ±180°).
    fn point(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Projection::World { scale, dx, dy } => {
                let (x, y) = natural_earth(lon * RADIANS, lat * RADIANS);
                (x * scale + dx, dy - y * scale)
            }
            Projection::Crop {
                west,
                north,
                k,
                scale,
            } => ((lon - west) * k * scale, (north - lat) * scale),
        }
    }
}

/// A map's frame: its projection, size, the part of the world it shows
/// (for culling) and its level of detail.
struct Frame {
    projection: Projection,
    width: u32,
    height: u32,
    /// West, south, east, north in degrees; west may lie below −180 and
    /// east above 180 for a crop across the antimeridian.
    window: [f64; 4],
    /// The window and a margin around it, in degrees: what lies beyond it
    /// is outside the view's clipping rectangle.
    reach: [f64; 4],
    coarse: bool,
}

/// Width of the world map, in SVG units.
const WORLD_WIDTH: u32 = 960;
/// Size of a locator map.
const LOCATOR_SIZE: (u32, u32) = (480, 320);
/// Size of an inset map.
const INSET_SIZE: (u32, u32) = (300, 200);
/// The smallest crop of a locator map and of an inset, in degrees of
/// longitude at the equator (the width, times the cosine of the latitude,
/// on the ground).
const LOCATOR_MIN_SPAN: f64 = 30.0;
const INSET_MIN_SPAN: f64 = 20.0;
/// Below this many SVG units per degree, a crop draws the coarse level.
const FINE_FROM: f64 = 6.0;
/// The room around the markers of an inset, as a share of their extent on
/// each side, and at least this many degrees.
const INSET_PAD_SHARE: f64 = 0.15;
const INSET_PAD_DEGREES: f64 = 2.0;

/// The world map's frame, `width` units wide. The latitudes shown run
/// from 84° N (or the northernmost marker) down to 58° S (or the
/// southernmost marker): Antarctica is drawn only when a place is there.
fn world_frame(width: u32, markers: &[(f64, f64)]) -> Frame {
    let south = markers
        .iter()
        .map(|m| m.1 - 3.0)
        .fold(-58.0f64, f64::min)
        .max(-90.0);
    let north = markers
        .iter()
        .map(|m| m.1 + 3.0)
        .fold(84.0f64, f64::max)
        .min(90.0);
    let margin = 2.0;
    let (half_width, _) = natural_earth(std::f64::consts::PI, 0.0);
    let scale = (f64::from(width) - 2.0 * margin) / (2.0 * half_width);
    let top = natural_earth(0.0, north * RADIANS).1 * scale;
    let bottom = natural_earth(0.0, south * RADIANS).1 * scale;
    let height = ((top - bottom) + 2.0 * margin).ceil();
    Frame {
        projection: Projection::World {
            scale,
            dx: f64::from(width) / 2.0,
            dy: top + margin,
        },
        width,
        height: height as u32,
        window: [-180.0, south, 180.0, north],
        // Three degrees are more than the margins at any width used here.
        reach: [f64::NEG_INFINITY, south - 3.0, f64::INFINITY, north + 3.0],
        coarse: true,
    }
}

/// The smallest range of longitudes that holds all of `lons` (each in
/// [−180, 180)), as (west, east) with east − west < 360: east may pass 180.
fn lon_range(lons: &mut [f64]) -> (f64, f64) {
    lons.sort_by(f64::total_cmp);
    let n = lons.len();
    // The largest gap between neighbours, the one across ±180 included:
    // the range is the rest of the circle.
    let mut gap = lons[0] + 360.0 - lons[n - 1];
    let mut range = (lons[0], lons[n - 1]);
    for i in 0..n - 1 {
        let g = lons[i + 1] - lons[i];
        if g > gap {
            gap = g;
            range = (lons[i + 1], lons[i] + 360.0);
        }
    }
    range
}

/// A crop of `size` around `markers` (at least one), at least `min_span`
/// degrees wide at the equator, with `pad` degrees (and `pad_share` of the
/// markers' extent) of room on each side; `None` when the markers are
/// spread too far for a crop.
fn crop_frame(
    size: (u32, u32),
    markers: &[(f64, f64)],
    min_span: f64,
    pad_share: f64,
    pad: f64,
) -> Option<Frame> {
    let mut lons: Vec<f64> = markers.iter().map(|m| m.0).collect();
    let (west, east) = lon_range(&mut lons);
    let south = markers.iter().map(|m| m.1).fold(90.0f64, f64::min);
    let north = markers.iter().map(|m| m.1).fold(-90.0f64, f64::max);
    let mid_lat = (south + north) / 2.0;
    // The horizontal scale, kept above that of 75° so that a crop near a
    // pole does not span the whole circle of longitude.
    let k = cos_degrees(mid_lat).max(0.25);
    let (width, height) = (f64::from(size.0), f64::from(size.1));
    // Extent in "equatorial degrees" on both axes.
    let lon_extent = (east - west) * k;
    let lat_extent = north - south;
    let mut w = (lon_extent * (1.0 + 2.0 * pad_share) + 2.0 * pad).max(min_span);
    let mut h = lat_extent * (1.0 + 2.0 * pad_share) + 2.0 * pad;
    if w / h < width / height {
        w = h * width / height;
    } else {
        h = w * height / width;
    }
    let lon_span = w / k;
    if lon_span > 200.0 || h > 110.0 {
        return None;
    }
    let mid_lon = (west + east) / 2.0;
    // Keep the crop inside ±90° of latitude.
    let top = (mid_lat + h / 2.0).min(90.0).max(-90.0 + h);
    let scale = width / w;
    let window = [
        mid_lon - lon_span / 2.0,
        top - h,
        mid_lon + lon_span / 2.0,
        top,
    ];
    // Four units (the clipping margin and some) in degrees.
    let (reach_lon, reach_lat) = (4.0 / (scale * k), 4.0 / scale);
    Some(Frame {
        projection: Projection::Crop {
            west: mid_lon - lon_span / 2.0,
            north: top,
            k,
            scale,
        },
        width: size.0,
        height: size.1,
        window,
        reach: [
            window[0] - reach_lon,
            window[1] - reach_lat,
            window[2] + reach_lon,
            window[3] + reach_lat,
        ],
        coarse: scale < FINE_FROM,
    })
}

// ---------------------------------------------------------------------------
// Geometry to SVG
// ---------------------------------------------------------------------------

/// The clipping rectangle: the view and a margin outside it, so that the
/// edges clipping adds are never seen.
#[derive(Clone, Copy)]
struct Clip {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// `ring` clipped to `clip` (Sutherland–Hodgman, one edge at a time). A
/// concave ring may come out with edges along the rectangle's sides, which
/// lie outside the view.
fn clip_ring(ring: &mut Vec<(f64, f64)>, scratch: &mut Vec<(f64, f64)>, clip: Clip) {
    // (axis, bound, keep the side above the bound)
    let edges = [
        (0, clip.x0, true),
        (0, clip.x1, false),
        (1, clip.y0, true),
        (1, clip.y1, false),
    ];
    for (axis, bound, above) in edges {
        if ring.is_empty() {
            return;
        }
        let inside = |p: (f64, f64)| {
            let v = if axis == 0 { p.0 } else { p.1 };
            if above { v >= bound } else { v <= bound }
        };
        let cross = |a: (f64, f64), b: (f64, f64)| {
            let (va, vb) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
            let t = (bound - va) / (vb - va);
            if axis == 0 {
                (bound, a.1 + (b.1 - a.1) * t)
            } else {
                (a.0 + (b.0 - a.0) * t, bound)
            }
        };
        scratch.clear();
        let mut previous = ring[ring.len() - 1];
        for &current in ring.iter() {
            match (inside(previous), inside(current)) {
                (true, true) => scratch.push(current),
                (true, false) => scratch.push(cross(previous, current)),
                (false, true) => {
                    scratch.push(cross(previous, current));
                    scratch.push(current);
                }
                (false, false) => {}
            }
            previous = current;
        }
        std::mem::swap(ring, scratch);
    }
}

/// An SVG path's data, written with as few characters as it takes: whole
/// numbers, relative moves, and a separator only before a number that has
/// no minus sign.
struct PathData {
    /// Only ASCII is written.
    d: Vec<u8>,
    /// The last point written, for relative coordinates.
    at: (i32, i32),
    /// The last character written was a digit.
    after_number: bool,
}

impl PathData {
    fn new() -> Self {
        PathData {
            d: Vec::new(),
            at: (0, 0),
            after_number: false,
        }
    }

    fn number(&mut self, n: i32) {
        if n < 0 {
            self.d.push(b'-');
        } else if self.after_number {
            self.d.push(b' ');
        }
        // The digits, without the formatting machinery: paths are most of
        // a map's bytes and of its time.
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        let mut v = n.unsigned_abs();
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.d.extend_from_slice(&digits[i..]);
        self.after_number = true;
    }

    fn command(&mut self, c: u8) {
        self.d.push(c);
        self.after_number = false;
    }

    fn into_string(self) -> String {
        // Digits, signs, spaces and command letters only.
        String::from_utf8(self.d).unwrap_or_default()
    }

    /// One subpath through `points` (already whole numbers, no two
    /// neighbours equal), closed when `close`.
    fn subpath(&mut self, points: &[(i32, i32)], close: bool) {
        let Some(&first) = points.first() else {
            return;
        };
        self.command(b'm');
        self.number(first.0 - self.at.0);
        self.number(first.1 - self.at.1);
        if points.len() > 1 {
            self.command(b'l');
        }
        for pair in points.windows(2) {
            self.number(pair[1].0 - pair[0].0);
            self.number(pair[1].1 - pair[0].1);
        }
        if close {
            // After a close, the current point is the subpath's start.
            self.command(b'z');
            self.at = first;
        } else {
            self.at = points[points.len() - 1];
        }
    }
}

/// `v` rounded to the nearest whole number, halves away from zero (without
/// a call into the maths library: this is the inner loop of drawing).
fn whole_number(v: f64) -> i32 {
    if v >= 0.0 {
        (v + 0.5) as i32
    } else {
        (v - 0.5) as i32
    }
}

/// Points rounded to whole units; a point is left out when it lies within
/// one unit (across or diagonally) of the point before it, as it would not
/// change the drawing by more than a pixel, but the last point is kept.
fn rounded(points: &[(f64, f64)], out: &mut Vec<(i32, i32)>) {
    out.clear();
    let n = points.len();
    for (i, &(x, y)) in points.iter().enumerate() {
        let p = (whole_number(x), whole_number(y));
        match out.last() {
            Some(&last) if last == p => {}
            Some(&last) if i + 1 < n && (last.0 - p.0).abs() <= 1 && (last.1 - p.1).abs() <= 1 => {}
            _ => out.push(p),
        }
    }
}

/// The shifts (multiples of 360°) at which a shape with `bbox` comes
/// within the frame's reach: only 0 on the world map.
fn shifts(bbox: [f64; 4], frame: &Frame) -> impl Iterator<Item = f64> + '_ {
    let world = matches!(frame.projection, Projection::World { .. });
    let reach = frame.reach;
    [-360.0, 0.0, 360.0].into_iter().filter(move |&shift| {
        (!world || shift == 0.0)
            && bbox[0] + shift <= reach[2]
            && bbox[2] + shift >= reach[0]
            && bbox[1] <= reach[3]
            && bbox[3] >= reach[1]
    })
}

/// The points of `shape`, its longitudes moved by `shift` degrees,
/// projected into `out`; every run of neighbouring points that lie beyond
/// one same side of the frame's reach is cut to the run's first and last
/// point. That changes the shape only beyond that side (the run and the
/// chord that replaces it both lie in the half-plane past it, which is
/// convex), so what the view shows is the same, for a fraction of the
/// work: most of a continent lies outside a regional crop.
fn project_reduced(
    shape: &Shape,
    quantum: f64,
    shift: f64,
    frame: &Frame,
    out: &mut Vec<(f64, f64)>,
) {
    out.clear();
    // The reach in whole quanta, rounded outwards (`as` saturates, so an
    // unbounded side stays unbounded).
    let x0 = ((frame.reach[0] - shift) / quantum).floor() as i32;
    let y0 = (frame.reach[1] / quantum).floor() as i32;
    let x1 = ((frame.reach[2] - shift) / quantum).ceil() as i32;
    let y1 = (frame.reach[3] / quantum).ceil() as i32;
    let code = |p: [i32; 2]| -> u8 {
        u8::from(p[0] < x0)
            | u8::from(p[0] > x1) << 1
            | u8::from(p[1] < y0) << 2
            | u8::from(p[1] > y1) << 3
    };
    let projection = frame.projection;
    let mut push = |p: [i32; 2]| {
        let lon = f64::from(p[0]) * quantum + shift;
        let lat = f64::from(p[1]) * quantum;
        out.push(projection.point(lon, lat));
    };
    // The run of points beyond a side: the sides all of them are beyond,
    // its first and last point, and its length.
    let mut run_code = 0u8;
    let mut first = [0, 0];
    let mut last = [0, 0];
    let mut run = 0usize;
    for (chunk, bbox) in shape.points.chunks(CHUNK).zip(&shape.chunks) {
        // A chunk wholly beyond a side joins the run, or starts one, at
        // once: a regional crop skips most of a continent this way.
        let beyond = u8::from(bbox[2] < x0)
            | u8::from(bbox[0] > x1) << 1
            | u8::from(bbox[3] < y0) << 2
            | u8::from(bbox[1] > y1) << 3;
        if beyond != 0 {
            if run > 0 && run_code & beyond != 0 {
                run_code &= beyond;
            } else {
                if run > 0 {
                    push(first);
                    if run > 1 {
                        push(last);
                    }
                }
                run_code = beyond;
                first = chunk[0];
                run = 0;
            }
            last = chunk[chunk.len() - 1];
            run += chunk.len();
            continue;
        }
        for &p in chunk {
            let c = code(p);
            if c != 0 && run > 0 && run_code & c != 0 {
                run_code &= c;
                last = p;
                run += 1;
                continue;
            }
            if run > 0 {
                push(first);
                if run > 1 {
                    push(last);
                }
            }
            if c != 0 {
                run_code = c;
                first = p;
                last = p;
                run = 1;
            } else {
                push(p);
                run = 0;
            }
        }
    }
    if run > 0 {
        push(first);
        if run > 1 {
            push(last);
        }
    }
}

/// The land and border paths of `level` in `frame`.
fn base_paths(level: &Level, frame: &Frame) -> (String, String) {
    let margin = 2.0;
    let clip = Clip {
        x0: -margin,
        y0: -margin,
        x1: f64::from(frame.width) + margin,
        y1: f64::from(frame.height) + margin,
    };
    let mut land = PathData::new();
    let mut ring: Vec<(f64, f64)> = Vec::new();
    let mut scratch: Vec<(f64, f64)> = Vec::new();
    let mut whole: Vec<(i32, i32)> = Vec::new();
    let q = level.quantum;
    let world = matches!(frame.projection, Projection::World { .. });
    // A projected ring, cut to the view, as a closed subpath.
    let mut emit = |ring: &mut Vec<(f64, f64)>, scratch: &mut Vec<(f64, f64)>| {
        clip_ring(ring, scratch, clip);
        rounded(ring, &mut whole);
        if whole.len() > 1 && whole[0] == whole[whole.len() - 1] {
            whole.pop();
        }
        if whole.len() >= 3 {
            land.subpath(&whole, true);
        }
    };
    for shape in &level.land {
        if world && (shape.bbox[0] < -180.0 || shape.bbox[2] > 180.0) {
            // On the world map, a ring that runs past ±180 (Chukotka, Fiji)
            // is cut there, and the part past it drawn a turn back.
            for turn in [-360.0, 0.0, 360.0] {
                if shape.bbox[0] + turn >= 180.0 || shape.bbox[2] + turn <= -180.0 {
                    continue;
                }
                ring.clear();
                ring.extend(
                    shape
                        .points
                        .iter()
                        .map(|p| (f64::from(p[0]) * q + turn, f64::from(p[1]) * q)),
                );
                let meridians = Clip {
                    x0: -180.0,
                    y0: f64::NEG_INFINITY,
                    x1: 180.0,
                    y1: f64::INFINITY,
                };
                clip_ring(&mut ring, &mut scratch, meridians);
                for p in ring.iter_mut() {
                    *p = frame.projection.point(p.0, p.1);
                }
                emit(&mut ring, &mut scratch);
            }
        } else {
            // A crop draws the ring once for each turn that meets it.
            for shift in shifts(shape.bbox, frame) {
                project_reduced(shape, q, shift, frame, &mut ring);
                emit(&mut ring, &mut scratch);
            }
        }
    }
    let mut whole: Vec<(i32, i32)> = Vec::new();
    let mut borders = PathData::new();
    let mut run: Vec<(i32, i32)> = Vec::new();
    for shape in &level.borders {
        for shift in shifts(shape.bbox, frame) {
            project_reduced(shape, q, shift, frame, &mut ring);
            rounded(&ring, &mut whole);
            // Keep the runs of segments that may cross the view; the SVG
            // hides what lies past its edge.
            run.clear();
            for pair in whole.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let seen = f64::from(a.0.max(b.0)) >= clip.x0
                    && f64::from(a.0.min(b.0)) <= clip.x1
                    && f64::from(a.1.max(b.1)) >= clip.y0
                    && f64::from(a.1.min(b.1)) <= clip.y1;
                if seen {
                    if run.is_empty() {
                        run.push(a);
                    }
                    run.push(b);
                } else if !run.is_empty() {
                    borders.subpath(&run, false);
                    run.clear();
                }
            }
            if run.len() >= 2 {
                borders.subpath(&run, false);
            }
        }
    }
    (land.into_string(), borders.into_string())
}

/// The world's outline in the Natural Earth projection (the sea of the
/// world map), cut to the frame.
fn world_outline(frame: &Frame) -> String {
    let mut ring: Vec<(f64, f64)> = Vec::new();
    let mut lat = -90.0;
    while lat <= 90.0 {
        ring.push(frame.projection.point(-180.0, lat));
        lat += 5.0;
    }
    let mut lat = 90.0;
    while lat >= -90.0 {
        ring.push(frame.projection.point(180.0, lat));
        lat -= 5.0;
    }
    let clip = Clip {
        x0: -1.0,
        y0: 0.0,
        x1: f64::from(frame.width) + 1.0,
        y1: f64::from(frame.height),
    };
    let mut scratch = Vec::new();
    clip_ring(&mut ring, &mut scratch, clip);
    let mut whole = Vec::new();
    rounded(&ring, &mut whole);
    let mut path = PathData::new();
    path.subpath(&whole, true);
    path.into_string()
}

// ---------------------------------------------------------------------------
// Markers and the SVG
// ---------------------------------------------------------------------------

/// `text` safe in an SVG element or double-quoted attribute, without the
/// control characters XML does not allow.
fn escape(text: &str) -> String {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        let clean: String = text
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect();
        escape_html(&clean)
    } else {
        escape_html(text)
    }
}

/// A number with at most one decimal, without a trailing `.0`.
fn decimal(value: f64) -> String {
    let tenths = (value * 10.0).round() as i64;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!(
            "{}{}.{}",
            if tenths < 0 { "-" } else { "" },
            (tenths / 10).abs(),
            (tenths % 10).abs()
        )
    }
}

/// A marker's radius: its area grows with its weight (the square root),
/// from `min` (weight 0) to `max` (the heaviest marker, or weight 25 when
/// all are lighter, so that small counts stay small).
fn radius(weight: u32, heaviest: u32, min: f64, max: f64) -> f64 {
    let top = f64::from(heaviest.max(25));
    min + (max - min) * (f64::from(weight) / top).sqrt()
}

/// A short, stable name for the map's title: the same map on the same page
/// has the same id, and two maps on one page differ.
fn title_id(kind: MapKind, markers: &[(f64, f64)], title: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(&[kind as u8]);
    eat(title.as_bytes());
    for (lon, lat) in markers {
        eat(&lon.to_bits().to_le_bytes());
        eat(&lat.to_bits().to_le_bytes());
    }
    format!("map-{:08x}", (hash >> 32) as u32 ^ hash as u32)
}

/// Draws a map of `kind` with `markers`, named `title` (plain text; it is
/// escaped here, as are labels and links). The result is one inline `<svg>`
/// element, the same bytes for the same input, and under 40 KB for any
/// markers a page has (the base map is cut to the view).
pub fn render(kind: MapKind, markers: &[Marker], title: &str) -> String {
    // The markers that can be placed, longitudes in [−180, 180).
    let placed: Vec<(&Marker, f64, f64)> = markers
        .iter()
        .filter(|m| m.lat.is_finite() && m.lon.is_finite() && m.lat.abs() <= 90.0)
        .map(|m| (m, (m.lon + 180.0).rem_euclid(360.0) - 180.0, m.lat))
        .collect();
    let points: Vec<(f64, f64)> = placed.iter().map(|&(_, lon, lat)| (lon, lat)).collect();

    let frame = match kind {
        MapKind::World => world_frame(WORLD_WIDTH, &points),
        MapKind::Locator => match points.first() {
            Some(&first) => crop_frame(LOCATOR_SIZE, &[first], LOCATOR_MIN_SPAN, 0.0, 0.0),
            None => None,
        }
        .unwrap_or_else(|| world_frame(LOCATOR_SIZE.0, &points)),
        MapKind::Inset => if points.is_empty() {
            None
        } else {
            crop_frame(
                INSET_SIZE,
                &points,
                INSET_MIN_SPAN,
                INSET_PAD_SHARE,
                INSET_PAD_DEGREES,
            )
        }
        .unwrap_or_else(|| world_frame(INSET_SIZE.0, &points)),
    };

    let base = base_map(&frame);
    let markers = marker_elements(kind, &frame, &placed);
    const CLOSE: &str = "</g></svg>";
    // Room for the opening tag: the title and some 150 bytes.
    let opening = escape(title);
    // The markers that fit in the budget, the most important first (the
    // place itself on a locator, else the heaviest); the lightest are left
    // out of a map that would grow past it (the page's list has them all).
    let mut rank: Vec<usize> = (0..markers.len()).collect();
    rank.sort_by_key(|&i| markers[i].rank);
    let mut keep = vec![false; markers.len()];
    let mut size = 200 + opening.len() + base.len() + CLOSE.len();
    for i in rank {
        if size + markers[i].element.len() > MAX_BYTES {
            break;
        }
        size += markers[i].element.len();
        keep[i] = true;
    }
    let linked = markers.iter().zip(&keep).any(|(m, &k)| k && m.linked);

    let id = title_id(kind, &points, title);
    let (width, height) = (frame.width, frame.height);
    let kind_class = match kind {
        MapKind::World => "map-world",
        MapKind::Locator => "map-locator",
        MapKind::Inset => "map-inset",
    };
    let mut svg = String::with_capacity(size);
    let _ = write!(
        svg,
        "<svg class=\"map {kind_class}\" viewBox=\"0 0 {width} {height}\" role=\"{}\" aria-labelledby=\"{id}\"><title id=\"{id}\">{opening}</title>",
        if linked { "group" } else { "img" },
    );
    svg.push_str(&base);
    svg.push_str("<g class=\"map-markers\">");
    for (marker, _) in markers.iter().zip(&keep).filter(|(_, k)| **k) {
        svg.push_str(&marker.element);
    }
    svg.push_str(CLOSE);
    svg
}

/// The sea, land and border elements of `frame`. A world frame is drawn
/// once for each size and extent and then kept: the world map and every
/// inset whose places are spread too far for a crop share it.
fn base_map(frame: &Frame) -> Arc<str> {
    type Kept = Vec<((u32, u64, u64), Arc<str>)>;
    static WORLDS: Mutex<Kept> = Mutex::new(Vec::new());
    let world = matches!(frame.projection, Projection::World { .. });
    let key = (
        frame.width,
        frame.window[1].to_bits(),
        frame.window[3].to_bits(),
    );
    if world {
        let kept = WORLDS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, base)) = kept.iter().find(|(k, _)| *k == key) {
            return Arc::clone(base);
        }
    }
    let level = if frame.coarse {
        &BASE.coarse
    } else {
        &BASE.fine
    };
    let (land, borders) = base_paths(level, frame);
    let mut svg = String::with_capacity(land.len() + borders.len() + 200);
    let (width, height) = (frame.width, frame.height);
    if world {
        let _ = write!(
            svg,
            "<path class=\"map-sea\" d=\"{}\"></path>",
            world_outline(frame)
        );
    } else {
        let _ = write!(
            svg,
            "<rect class=\"map-sea\" width=\"{width}\" height=\"{height}\"></rect>"
        );
    }
    if !land.is_empty() {
        let _ = write!(svg, "<path class=\"map-land\" d=\"{land}\"></path>");
    }
    if !borders.is_empty() {
        let _ = write!(svg, "<path class=\"map-border\" d=\"{borders}\"></path>");
    }
    let base: Arc<str> = Arc::from(svg);
    if world {
        let mut kept = WORLDS.lock().unwrap_or_else(|e| e.into_inner());
        // A few extents at most (Antarctica's places widen the frame);
        // the oldest is dropped past that.
        if kept.len() >= 8 {
            kept.remove(0);
        }
        if !kept.iter().any(|(k, _)| *k == key) {
            kept.push((key, Arc::clone(&base)));
        }
    }
    base
}

/// One marker as the SVG has it.
struct MarkerSvg {
    /// 0 for the most important marker.
    rank: usize,
    linked: bool,
    element: String,
}

/// The most a map may weigh, in bytes.
pub const MAX_BYTES: usize = 40_000;

/// The marker elements of a map in the order they are drawn (the later on
/// top), each with its rank (0 is the most important): on a locator the
/// first marker is the place itself, drawn last, on top of its neighbours;
/// elsewhere the heaviest are drawn first, so that a small marker on top of
/// a big one stays in sight and clickable. Markers outside the view (a
/// locator's far neighbours) are left out.
fn marker_elements(kind: MapKind, frame: &Frame, placed: &[(&Marker, f64, f64)]) -> Vec<MarkerSvg> {
    let (min_r, max_r) = match kind {
        MapKind::World => (2.5, 14.0),
        MapKind::Locator => (4.0, 4.0),
        MapKind::Inset => (3.0, 9.0),
    };
    let heaviest = placed.iter().map(|(m, _, _)| m.weight).max().unwrap_or(0);
    // Indices in the order of importance.
    let mut order: Vec<usize> = (0..placed.len()).collect();
    if kind != MapKind::Locator {
        order.sort_by(|&a, &b| placed[b].0.weight.cmp(&placed[a].0.weight).then(a.cmp(&b)));
    }
    let (w, h) = (f64::from(frame.width), f64::from(frame.height));
    let mut elements = Vec::with_capacity(order.len());
    for (rank, &i) in order.iter().enumerate() {
        let (marker, lon, lat) = placed[i];
        let current = kind == MapKind::Locator && i == 0;
        let (x, y) = marker_point(frame, lon, lat);
        if !(0.0..=w).contains(&x) || !(0.0..=h).contains(&y) {
            continue;
        }
        let r = if current {
            6.0
        } else {
            radius(marker.weight, heaviest, min_r, max_r)
        };
        let class = if current {
            " class=\"map-marker-current\""
        } else {
            ""
        };
        let label = escape(marker.label);
        let circle = format!(
            "<circle{class} cx=\"{}\" cy=\"{}\" r=\"{}\">",
            decimal(x),
            decimal(y),
            decimal(r)
        );
        let element = match marker.href {
            Some(href) => format!(
                "<a href=\"{}\"><title>{label}</title>{circle}</circle></a>",
                escape(href)
            ),
            None => format!("{circle}<title>{label}</title></circle>"),
        };
        elements.push(MarkerSvg {
            rank,
            linked: marker.href.is_some(),
            element,
        });
    }
    if kind == MapKind::Locator {
        // The place itself (rank 0) on top.
        elements.sort_by_key(|m| m.rank == 0);
    }
    elements
}

/// Where a marker is drawn: its projected point, the longitude moved by
/// whole turns into the crop's window, the point kept inside the view.
fn marker_point(frame: &Frame, lon: f64, lat: f64) -> (f64, f64) {
    let mut lon = lon;
    if let Projection::Crop { .. } = frame.projection {
        let middle = (frame.window[0] + frame.window[2]) / 2.0;
        while lon < middle - 180.0 {
            lon += 360.0;
        }
        while lon >= middle + 180.0 {
            lon -= 360.0;
        }
    }
    let (x, y) = frame.projection.point(lon, lat);
    let (w, h) = (f64::from(frame.width), f64::from(frame.height));
    // A place past the edge of the world map's latitudes (or a crop's) is
    // not pulled in: it is left out by the caller. Rounding may put one a
    // hair outside; keep those.
    (clamp_near(x, w), clamp_near(y, h))
}

/// `v` within [0, max] when it lies within a unit of it.
fn clamp_near(v: f64, max: f64) -> f64 {
    if v >= -1.0 && v <= max + 1.0 {
        v.clamp(0.0, max)
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYONGYANG: (f64, f64) = (39.0392, 125.7625);
    const VLADIVOSTOK: (f64, f64) = (43.1155, 131.8855);

    fn marker<'a>(
        (lat, lon): (f64, f64),
        label: &'a str,
        href: Option<&'a str>,
        weight: u32,
    ) -> Marker<'a> {
        Marker {
            lat,
            lon,
            label,
            href,
            weight,
        }
    }

    /// What a reader's browser gets from one map.
    struct Drawn {
        width: f64,
        height: f64,
        role: String,
        title: String,
        /// Each marker: its label, link, centre, radius and class.
        markers: Vec<Spot>,
        /// The land's points, in absolute units.
        land: Vec<(f64, f64)>,
        sea_is_rect: bool,
        /// The sea's outline (the world's edge on a world map).
        sea: Vec<(f64, f64)>,
    }

    #[derive(Debug, Clone)]
    struct Spot {
        label: String,
        href: Option<String>,
        x: f64,
        y: f64,
        r: f64,
        class: Option<String>,
    }

    /// The points of a path written with `m`, `l` and `z` (relative).
    fn points(d: &str) -> Vec<(f64, f64)> {
        let mut tokens = Vec::new();
        let mut number = String::new();
        for c in d.chars() {
            if c.is_ascii_digit() || c == '.' || (c == '-' && number.is_empty()) {
                number.push(c);
                continue;
            }
            if !number.is_empty() {
                tokens.push(number.clone());
                number.clear();
            }
            if c == '-' {
                number.push(c);
            } else if c != ' ' {
                tokens.push(c.to_string());
            }
        }
        if !number.is_empty() {
            tokens.push(number);
        }
        let mut out = Vec::new();
        let (mut x, mut y) = (0.0, 0.0);
        let mut start = (0.0, 0.0);
        let mut i = 0;
        let mut command = ' ';
        while i < tokens.len() {
            let t = &tokens[i];
            if let Some(c) = t.chars().next().filter(|c| c.is_ascii_alphabetic()) {
                command = c;
                i += 1;
                if c == 'z' {
                    (x, y) = start;
                }
                continue;
            }
            let dx: f64 = t.parse().unwrap();
            let dy: f64 = tokens[i + 1].parse().unwrap();
            i += 2;
            x += dx;
            y += dy;
            if command == 'm' {
                start = (x, y);
                command = 'l';
            }
            out.push((x, y));
        }
        out
    }

    fn read(svg: &str) -> Drawn {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        let view: Vec<f64> = root
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(&view[..2], &[0.0, 0.0]);
        let id = root.attribute("aria-labelledby").unwrap();
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .expect("the map's title");
        assert_eq!(
            title.attribute("id"),
            Some(id),
            "aria-labelledby names the title"
        );
        let mut markers = Vec::new();
        for circle in root.descendants().filter(|n| n.has_tag_name("circle")) {
            let parent = circle.parent_element().unwrap();
            let (label_of, href) = if parent.has_tag_name("a") {
                (parent, parent.attribute("href").map(String::from))
            } else {
                (circle, None)
            };
            let label = label_of
                .children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or("")
                .to_string();
            let num = |name: &str| -> f64 { circle.attribute(name).unwrap().parse().unwrap() };
            markers.push(Spot {
                label,
                href,
                x: num("cx"),
                y: num("cy"),
                r: num("r"),
                class: circle.attribute("class").map(String::from),
            });
        }
        let land = root
            .descendants()
            .find(|n| n.attribute("class") == Some("map-land"))
            .map(|n| points(n.attribute("d").unwrap()))
            .unwrap_or_default();
        let sea = root
            .descendants()
            .find(|n| n.attribute("class") == Some("map-sea"))
            .expect("the sea");
        let sea_is_rect = sea.has_tag_name("rect");
        let sea = sea.attribute("d").map(points).unwrap_or_default();
        Drawn {
            width: view[2],
            height: view[3],
            role: root.attribute("role").unwrap().to_string(),
            title: title.text().unwrap_or("").to_string(),
            markers,
            land,
            sea_is_rect,
            sea,
        }
    }

    impl Drawn {
        fn spot(&self, label: &str) -> &Spot {
            self.markers
                .iter()
                .find(|m| m.label == label)
                .unwrap_or_else(|| panic!("no marker {label}: {:?}", self.markers))
        }

        fn assert_inside(&self) {
            for m in &self.markers {
                assert!(
                    (0.0..=self.width).contains(&m.x) && (0.0..=self.height).contains(&m.y),
                    "{m:?} outside {}×{}",
                    self.width,
                    self.height
                );
            }
        }
    }

    #[test]
    fn the_data_has_both_levels() {
        let base = &*BASE;
        let count = |l: &Level| {
            l.land
                .iter()
                .chain(&l.borders)
                .map(|s| s.points.len())
                .sum::<usize>()
        };
        assert!(base.coarse.land.len() > 50 && base.coarse.borders.len() > 100);
        assert!(base.fine.land.len() > base.coarse.land.len());
        assert!(count(&base.fine) > 3 * count(&base.coarse));
        assert_eq!(base.fine.quantum, 0.05);
        // Every shape lies on the globe, a ring across the antimeridian
        // running at most a little past it.
        for shape in base.fine.land.iter().chain(&base.coarse.borders) {
            assert!(
                shape.bbox[0] >= -190.0 && shape.bbox[2] <= 191.0,
                "{:?}",
                shape.bbox
            );
            assert!(
                shape.bbox[1] >= -90.0 && shape.bbox[3] <= 90.0,
                "{:?}",
                shape.bbox
            );
        }
    }

    #[test]
    fn the_polyline_decoder_reads_the_reference_example() {
        // The polyline algorithm's own example: (38.5, -120.2), then the
        // differences (2.2, -0.75) and (2.552, -5.503), in 1e-5 degrees.
        assert_eq!(
            decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@"),
            vec![3850000, -12020000, 220000, -75000, 255200, -550300]
        );
    }

    #[test]
    fn the_projections_are_the_published_ones() {
        // Natural Earth: at the equator the half width is 0.8707 π; at the
        // pole the height is 1.4224 (Šavrič et al., 2011).
        let (x, y) = natural_earth(std::f64::consts::PI, 0.0);
        assert!((x - 0.8707 * std::f64::consts::PI).abs() < 1e-12 && y == 0.0);
        let (_, top) = natural_earth(0.0, std::f64::consts::FRAC_PI_2);
        assert!((top - 1.4224).abs() < 5e-4, "{top}");
        for degrees in [0.0, 10.0, 38.0, 45.0, 60.0, 75.0, 89.0, 90.0, -43.0] {
            let exact = (f64::abs(degrees) * RADIANS).cos();
            assert!((cos_degrees(degrees) - exact).abs() < 1e-10, "{degrees}");
        }
    }

    #[test]
    fn the_world_map_links_each_place_and_names_it() {
        let markers = [
            marker(PYONGYANG, "Pyongyang", Some("/places/pyongyang/"), 3),
            marker(VLADIVOSTOK, "Vladivostok", Some("/places/vladivostok/"), 1),
            marker((51.5, -0.13), "London", None, 0),
        ];
        let svg = render(MapKind::World, &markers, "Places on a map");
        let map = read(&svg);
        assert_eq!(map.title, "Places on a map");
        assert_eq!(map.role, "group", "links inside stay links");
        assert_eq!(map.width, 960.0);
        assert_eq!(map.markers.len(), 3);
        let p = map.spot("Pyongyang");
        assert_eq!(p.href.as_deref(), Some("/places/pyongyang/"));
        assert_eq!(
            map.spot("Vladivostok").href.as_deref(),
            Some("/places/vladivostok/")
        );
        assert_eq!(map.spot("London").href, None);
        map.assert_inside();
        // The whole world: land from one side to the other, Antarctica cut
        // off (no place there), so the map is wider than half its height.
        let west = map.land.iter().map(|p| p.0).fold(f64::MAX, f64::min);
        let east = map.land.iter().map(|p| p.0).fold(f64::MIN, f64::max);
        assert!(west < 100.0 && east > 900.0, "{west} {east}");
        assert!(map.height < map.width / 2.0);
        // No land past the world's edge: Chukotka and Fiji, which cross
        // the antimeridian, are cut there and drawn on both sides.
        let edge = |y: f64, right: bool| -> f64 {
            let n = map.sea.len();
            (0..n)
                .filter_map(|i| {
                    let (a, b) = (map.sea[i], map.sea[(i + 1) % n]);
                    let crosses = (a.1 - y) * (b.1 - y) <= 0.0 && a.1 != b.1;
                    let x = a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1);
                    (crosses && (x > map.width / 2.0) == right).then_some(x)
                })
                .fold(if right { f64::MIN } else { f64::MAX }, |m, x| {
                    if right { m.max(x) } else { m.min(x) }
                })
        };
        let mut near_edge = 0;
        for &(x, y) in map
            .land
            .iter()
            .filter(|p| (1.0..map.height - 1.0).contains(&p.1))
        {
            let (left, right) = (edge(y, false), edge(y, true));
            assert!(
                x >= left - 1.5 && x <= right + 1.5,
                "land at {x},{y} past {left}..{right}"
            );
            near_edge += usize::from(x > right - 3.0 || x < left + 3.0);
        }
        assert!(near_edge > 4, "land reaches the edge at ±180°: {near_edge}");
        // London west of Pyongyang, north of it; on the map's left half
        // (Greenwich is at the middle).
        let london = map.spot("London");
        assert!(london.x < p.x && london.y < p.y);
        assert!((london.x - 480.0).abs() < 3.0, "{london:?}");
        assert!(svg.len() < MAX_BYTES, "{}", svg.len());
    }

    #[test]
    fn a_map_without_links_is_one_image() {
        let svg = render(
            MapKind::Locator,
            &[marker(PYONGYANG, "Pyongyang", None, 1)],
            "Pyongyang on a map",
        );
        let map = read(&svg);
        assert_eq!(map.role, "img");
        assert!(!svg.contains("<a "));
    }

    #[test]
    fn places_are_where_they_are_on_every_kind_of_map() {
        let markers = [
            marker(PYONGYANG, "Pyongyang", Some("/places/pyongyang/"), 1),
            marker(VLADIVOSTOK, "Vladivostok", Some("/places/vladivostok/"), 1),
        ];
        for kind in [MapKind::World, MapKind::Locator, MapKind::Inset] {
            let map = read(&render(kind, &markers, "Map"));
            map.assert_inside();
            let (p, v) = (map.spot("Pyongyang"), map.spot("Vladivostok"));
            assert!(p.x < v.x, "{kind:?}: Pyongyang lies west of Vladivostok");
            assert!(p.y > v.y, "{kind:?}: Pyongyang lies south of Vladivostok");
            assert!(!map.land.is_empty(), "{kind:?}: land");
        }
        // The locator is centred on its place, and shows the region: the
        // two cities are about 6° of longitude apart on a crop of about
        // 40° at that latitude (30° at the equator).
        let map = read(&render(MapKind::Locator, &markers, "Map"));
        let (p, v) = (map.spot("Pyongyang"), map.spot("Vladivostok"));
        assert!((p.x - map.width / 2.0).abs() < 0.1 && (p.y - map.height / 2.0).abs() < 0.1);
        let share = (v.x - p.x) / map.width;
        assert!((0.12..0.2).contains(&share), "{share}");
        assert!(map.sea_is_rect);
        // The inset is a crop that fits both, with room around them.
        let map = read(&render(MapKind::Inset, &markers, "Map"));
        assert!(map.sea_is_rect, "a crop, not the world");
        let share = (map.spot("Vladivostok").x - map.spot("Pyongyang").x) / map.width;
        assert!(share > 0.15, "{share}");
        for s in [map.spot("Pyongyang"), map.spot("Vladivostok")] {
            assert!(s.x > 0.1 * map.width && s.x < 0.9 * map.width, "{s:?}");
            assert!(s.y > 0.1 * map.height && s.y < 0.9 * map.height, "{s:?}");
        }
    }

    #[test]
    fn the_locator_highlights_its_place_over_its_neighbours() {
        let markers = [
            marker(PYONGYANG, "Pyongyang", None, 1),
            marker(VLADIVOSTOK, "Vladivostok", Some("/places/vladivostok/"), 1),
            marker((40.7, -74.0), "New York", Some("/places/new-york/"), 9),
        ];
        let map = read(&render(MapKind::Locator, &markers, "Map"));
        let labels: Vec<&str> = map.markers.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Vladivostok", "Pyongyang"],
            "far places left out, the place on top"
        );
        let p = map.spot("Pyongyang");
        assert_eq!(p.class.as_deref(), Some("map-marker-current"));
        assert!(p.r > map.spot("Vladivostok").r);
        assert_eq!(map.spot("Vladivostok").class, None);
    }

    #[test]
    fn markers_grow_with_weight() {
        let weights = [0, 1, 3, 10, 40, 300];
        let labels = ["w0", "w1", "w3", "w10", "w40", "w300"];
        let markers: Vec<Marker> = weights
            .iter()
            .zip(labels)
            .enumerate()
            .map(|(i, (&w, label))| {
                marker((10.0 + i as f64, 20.0 + i as f64), label, Some("/p/"), w)
            })
            .collect();
        for kind in [MapKind::World, MapKind::Inset] {
            let map = read(&render(kind, &markers, "Map"));
            let radii: Vec<f64> = labels.iter().map(|l| map.spot(l).r).collect();
            assert!(radii.windows(2).all(|w| w[0] < w[1]), "{kind:?}: {radii:?}");
            // The heaviest are drawn first, so the small ones stay on top.
            let order: Vec<&str> = map.markers.iter().map(|m| m.label.as_str()).collect();
            assert_eq!(order, ["w300", "w40", "w10", "w3", "w1", "w0"], "{kind:?}");
        }
    }

    /// Places in the densest parts of the base map.
    const DENSE: [(f64, f64); 8] = [
        (50.85, 4.35),  // Brussels
        (46.05, 14.5),  // Ljubljana
        (44.8, 20.45),  // Belgrade
        (41.0, 28.97),  // Istanbul
        (1.29, 103.85), // Singapore
        (-8.65, 115.2), // Bali
        (10.3, 123.9),  // Cebu
        (12.5, -70.0),  // Aruba, the Caribbean
    ];

    #[test]
    fn every_map_stays_under_budget() {
        let mut largest = 0;
        for &place in &DENSE {
            let svg = render(MapKind::Locator, &[marker(place, "Here", None, 1)], "Map");
            largest = largest.max(svg.len());
            assert!(svg.len() < MAX_BYTES, "{place:?}: {}", svg.len());
        }
        // Insets over Europe and over South-East Asia, and one whose places
        // are too far apart for a crop.
        for group in [&DENSE[..4], &DENSE[4..7], &DENSE[..]] {
            let markers: Vec<Marker> = group
                .iter()
                .map(|&p| marker(p, "A place", Some("/places/a-place/"), 2))
                .collect();
            let svg = render(MapKind::Inset, &markers, "Map");
            largest = largest.max(svg.len());
            assert!(svg.len() < MAX_BYTES, "{}", svg.len());
        }
        assert!(largest > 3_000, "the crops draw land: {largest}");
        // A world map of many places keeps the heaviest, within budget.
        let labels: Vec<String> = (0..3000).map(|i| format!("Place number {i}")).collect();
        let hrefs: Vec<String> = (0..3000)
            .map(|i| format!("/places/place-number-{i}/"))
            .collect();
        let markers: Vec<Marker> = (0..3000)
            .map(|i| {
                let lat = f64::from(i % 120) - 55.0;
                let lon = f64::from(i) * 0.12 - 180.0;
                marker(
                    (lat, lon),
                    &labels[i as usize],
                    Some(&hrefs[i as usize]),
                    i as u32,
                )
            })
            .collect();
        let svg = render(MapKind::World, &markers, "All places");
        assert!(svg.len() <= MAX_BYTES, "{}", svg.len());
        let map = read(&svg);
        assert!(map.markers.len() > 150, "{}", map.markers.len());
        assert!(map.markers.len() < 3000);
        assert_eq!(
            map.markers[0].label, "Place number 2999",
            "the heaviest is kept"
        );
        let world = render(MapKind::World, &markers[..10], "All places");
        assert!(
            world.len() < 25_000,
            "the world's base map: {}",
            world.len()
        );
    }

    #[test]
    fn a_crop_carries_only_what_it_shows() {
        for &place in &DENSE {
            let map = read(&render(
                MapKind::Locator,
                &[marker(place, "Here", None, 1)],
                "Map",
            ));
            assert!(!map.land.is_empty());
            for &(x, y) in &map.land {
                assert!(
                    (-3.0..=map.width + 3.0).contains(&x) && (-3.0..=map.height + 3.0).contains(&y),
                    "{place:?}: land at {x},{y}"
                );
            }
        }
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let markers = [
            marker(PYONGYANG, "Pyongyang", Some("/places/pyongyang/"), 2),
            marker(VLADIVOSTOK, "Vladivostok", Some("/places/vladivostok/"), 5),
        ];
        for kind in [MapKind::World, MapKind::Locator, MapKind::Inset] {
            let first = render(kind, &markers, "Map");
            assert_eq!(first, render(kind, &markers, "Map"), "{kind:?}");
        }
        // Maps that differ in kind or title have different title ids.
        let ids: Vec<String> = [
            render(MapKind::Inset, &markers, "Map"),
            render(MapKind::Locator, &markers, "Map"),
            render(MapKind::Inset, &markers, "Other map"),
        ]
        .iter()
        .map(|svg| {
            let doc = roxmltree::Document::parse(svg).unwrap();
            doc.root_element()
                .attribute("aria-labelledby")
                .unwrap()
                .to_string()
        })
        .collect();
        assert!(
            ids[0] != ids[1] && ids[0] != ids[2] && ids[1] != ids[2],
            "{ids:?}"
        );
    }

    #[test]
    fn text_is_escaped() {
        let label = "Q&A <b>\"quoted\"</b>\u{7}";
        let href = "/places/a?b=1&c=\"2\"";
        let svg = render(
            MapKind::Inset,
            &[marker(PYONGYANG, label, Some(href), 1)],
            "<Map> & \"title\"",
        );
        let map = read(&svg);
        assert_eq!(map.title, "<Map> & \"title\"");
        let spot = map.spot("Q&A <b>\"quoted\"</b>");
        assert_eq!(spot.href.as_deref(), Some(href));
    }

    #[test]
    fn places_across_the_antimeridian_share_one_crop() {
        let markers = [
            marker((-16.0, 179.0), "East", Some("/e/"), 1),
            marker((-17.0, -179.0), "West", Some("/w/"), 1),
        ];
        let map = read(&render(MapKind::Inset, &markers, "Map"));
        map.assert_inside();
        assert!(map.sea_is_rect, "a crop, not the world");
        let (e, w) = (map.spot("East"), map.spot("West"));
        assert!(e.x < w.x, "179° E lies just west of 179° W");
        assert!((w.x - e.x) < map.width / 4.0);
        // Fiji's islands on both sides of the line.
        let line = (e.x + w.x) / 2.0;
        assert!(
            map.land.iter().any(|p| p.0 < line - 5.0),
            "land west of 180°"
        );
        assert!(
            map.land.iter().any(|p| p.0 > line + 5.0),
            "land east of 180°"
        );

        // Chukotka: Anadyr (177.5° E) and Uelen (169.8° W), the land one
        // piece across the line.
        let markers = [
            marker((64.73, 177.5), "Anadyr", Some("/a/"), 1),
            marker((66.16, -169.8), "Uelen", Some("/u/"), 1),
        ];
        let map = read(&render(MapKind::Inset, &markers, "Map"));
        map.assert_inside();
        let (a, u) = (map.spot("Anadyr"), map.spot("Uelen"));
        assert!(a.x < u.x && a.y > u.y);
        let line = a.x + (u.x - a.x) * (180.0 - 177.5) / (190.2 - 177.5);
        let near = |p: &&(f64, f64)| (p.1 - u.y).abs() < map.height / 4.0;
        assert!(map.land.iter().filter(near).any(|p| p.0 < line - 5.0));
        assert!(map.land.iter().filter(near).any(|p| p.0 > line + 5.0));
        // The same place at 180° and at −180°.
        let at = |lon: f64| {
            let map = read(&render(
                MapKind::Locator,
                &[marker((65.0, lon), "X", None, 1)],
                "Map",
            ));
            let s = map.spot("X");
            (s.x, s.y)
        };
        assert_eq!(at(180.0), at(-180.0));
        assert_eq!(at(170.0), at(-190.0));
    }

    #[test]
    fn odd_input_never_panics() {
        let odd = [
            marker((f64::NAN, 10.0), "nan", Some("/n/"), 1),
            marker((10.0, f64::INFINITY), "inf", Some("/i/"), 1),
            marker((f64::NEG_INFINITY, 0.0), "-inf", Some("/i/"), 1),
            marker((91.0, 0.0), "past the pole", Some("/p/"), 1),
            marker((90.0, 180.0), "north pole", Some("/np/"), u32::MAX),
            marker((-90.0, -180.0), "south pole", Some("/sp/"), 0),
            marker((0.0, 1e300), "far east", Some("/f/"), 1),
        ];
        for kind in [MapKind::World, MapKind::Locator, MapKind::Inset] {
            for markers in [&odd[..], &odd[..4], &odd[4..5], &odd[5..6], &[]] {
                let svg = render(kind, markers, "");
                let map = read(&svg);
                map.assert_inside();
                for m in &map.markers {
                    assert!(!["nan", "inf", "-inf", "past the pole"].contains(&m.label.as_str()));
                }
                assert!(svg.len() < MAX_BYTES);
            }
        }
        // Poles and the empty map still draw a map.
        let map = read(&render(MapKind::Locator, &odd[4..5], "North Pole"));
        assert_eq!(map.markers.len(), 1);
        let map = read(&render(MapKind::Inset, &[], "Nothing"));
        assert!(map.markers.is_empty() && !map.land.is_empty());
        let map = read(&render(MapKind::World, &odd[5..6], "South Pole"));
        assert_eq!(map.markers.len(), 1, "Antarctica comes into the world map");
    }
}
