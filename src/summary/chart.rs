//! SVG charts drawn by the core, so that the tablet (offline) and HQ need no
//! chart library: the monthly trend and the findings by type. Plain SVG 1.1,
//! text in a CJK-capable font stack, every label escaped.

use super::Summary;

const FONT: &str = "system-ui, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
const BLUE: &str = "#0b6fc2";
const RED: &str = "#c62828";
const GREY: &str = "#5b6770";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A round axis maximum at or above `v` (1, 2, 5 × 10^n).
fn nice_max(v: u32) -> u32 {
    let v = v.max(1);
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= v {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// Visits per month (bars) and visits with violations (line), with a legend.
pub fn trend_svg(s: &Summary) -> String {
    let (w, h) = (720.0_f64, 360.0_f64);
    let (left, right, top, bottom) = (56.0, 16.0, 48.0, 48.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let n = s.months.len().max(1) as f64;
    let max = nice_max(s.months.iter().map(|m| m.visits).max().unwrap_or(0));
    let y = |v: u32| top + plot_h - plot_h * v as f64 / max as f64;
    let slot = plot_w / n;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" font-family=\"{FONT}\" font-size=\"12\">",
        esc(&format!("{}检查家次月度趋势", s.period.label.zh))
    );
    out += &format!("<title>{}</title>", esc(&format!("{}检查家次与发现违法问题家次（按月）", s.period.label.zh)));
    out += &format!("<text x=\"{left}\" y=\"20\" font-size=\"15\" font-weight=\"600\">{}</text>", esc(&format!("{} · 检查家次与发现违法家次", s.period.label.zh)));
    // legend
    out += &format!("<rect x=\"{}\" y=\"28\" width=\"12\" height=\"12\" fill=\"{BLUE}\"/><text x=\"{}\" y=\"38\">检查家次</text>", left, left + 16.0);
    out += &format!("<line x1=\"{}\" y1=\"34\" x2=\"{}\" y2=\"34\" stroke=\"{RED}\" stroke-width=\"2\"/><text x=\"{}\" y=\"38\">发现违法家次</text>", left + 90.0, left + 110.0, left + 114.0);
    // grid and axis labels
    for i in 0..=4 {
        let v = max * i / 4;
        let gy = y(v);
        out += &format!("<line x1=\"{left}\" y1=\"{gy:.1}\" x2=\"{:.1}\" y2=\"{gy:.1}\" stroke=\"#e0e4e8\"/>", w - right);
        out += &format!("<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{GREY}\">{v}</text>", left - 6.0, gy + 4.0);
    }
    let mut line = Vec::new();
    for (i, m) in s.months.iter().enumerate() {
        let x = left + slot * i as f64;
        let bar_w = (slot * 0.6).max(2.0);
        let bx = x + (slot - bar_w) / 2.0;
        let by = y(m.visits);
        out += &format!(
            "<rect x=\"{bx:.1}\" y=\"{by:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" fill=\"{BLUE}\"><title>{}：检查{}家次，发现违法{}家次</title></rect>",
            top + plot_h - by,
            esc(&m.month),
            m.visits,
            m.visits_with_violations
        );
        let label = m.month.get(5..).map(|mm| format!("{}月", mm.trim_start_matches('0'))).unwrap_or_default();
        out += &format!("<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{GREY}\">{}</text>", x + slot / 2.0, h - bottom + 18.0, esc(&label));
        line.push(format!("{:.1},{:.1}", x + slot / 2.0, y(m.visits_with_violations)));
    }
    if !line.is_empty() {
        out += &format!("<polyline points=\"{}\" fill=\"none\" stroke=\"{RED}\" stroke-width=\"2\"/>", line.join(" "));
    }
    out += "</svg>";
    out
}

/// Violations by type (top types), as horizontal bars.
pub fn findings_svg(s: &Summary) -> String {
    let list = &s.figures.top_violations;
    let bar_h = 26.0;
    let (w, top, left) = (720.0_f64, 44.0, 300.0);
    let h = top + bar_h * list.len().max(1) as f64 + 16.0;
    let max = list.iter().map(|c| c.count).max().unwrap_or(0).max(1) as f64;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" font-family=\"{FONT}\" font-size=\"12\">",
        esc(&format!("{}违法问题类型", s.period.label.zh))
    );
    out += &format!("<title>{}</title>", esc(&format!("{}违法问题类型分布", s.period.label.zh)));
    out += &format!("<text x=\"16\" y=\"22\" font-size=\"15\" font-weight=\"600\">{}</text>", esc(&format!("{} · 违法问题类型（前 {} 类）", s.period.label.zh, list.len())));
    if list.is_empty() {
        out += &format!("<text x=\"16\" y=\"{}\" fill=\"{GREY}\">未发现违法问题</text>", top + 16.0);
    }
    for (i, c) in list.iter().enumerate() {
        let yy = top + bar_h * i as f64;
        let len = (w - left - 60.0) * c.count as f64 / max;
        out += &format!("<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>", left - 8.0, yy + 16.0, esc(&c.title.zh));
        out += &format!("<rect x=\"{left}\" y=\"{:.1}\" width=\"{len:.1}\" height=\"{:.1}\" fill=\"{RED}\"><title>{}：{} 项</title></rect>", yy + 4.0, bar_h - 8.0, esc(&c.code), c.count);
        out += &format!("<text x=\"{:.1}\" y=\"{:.1}\">{}</text>", left + len + 6.0, yy + 16.0, c.count);
    }
    out += "</svg>";
    out
}
