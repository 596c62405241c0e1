//! The lag chart: committed lag over time for every group, or for each partition of the
//! selected group, drawn from the engine's bounded lag history.

use yew::prelude::*;

use super::palette::consumer_colour;
use super::state::Shown;
use crate::engine::Engine;

const W: f64 = 300.0;
const H: f64 = 120.0;
const PAD: f64 = 22.0;

#[derive(Properties, PartialEq)]
pub struct LagChartProps {
    /// The engine at the cursor.
    pub state: Shown,
    /// Show this group's partitions instead of every group's total.
    pub group: Option<String>,
}

#[function_component(LagChart)]
pub fn lag_chart(props: &LagChartProps) -> Html {
    let engine = props.state.engine();
    let e: &Engine = &engine;
    // Series: (label, points (tick, lag)).
    let series: Vec<(String, Vec<(u64, i64)>)> =
        match props.group.as_ref().and_then(|g| e.groups.get(g)) {
            Some(g) => {
                let mut partitions: Vec<_> = g.committed.keys().cloned().collect();
                partitions.truncate(12);
                partitions
                    .into_iter()
                    .map(|tp| {
                        let points = g
                            .lag_history
                            .iter()
                            .filter_map(|s| {
                                s.partitions
                                    .iter()
                                    .find(|(p, _)| *p == tp)
                                    .map(|(_, l)| (s.tick, *l))
                            })
                            .collect();
                        (tp.to_string(), points)
                    })
                    .collect()
            }
            None => e
                .groups
                .values()
                .map(|g| {
                    (
                        g.id.clone(),
                        g.lag_history
                            .iter()
                            .map(|s| (s.tick, s.committed_lag))
                            .collect(),
                    )
                })
                .collect(),
        };
    let first_tick = series
        .iter()
        .flat_map(|(_, p)| p.first().map(|x| x.0))
        .min()
        .unwrap_or(0);
    let last_tick = series
        .iter()
        .flat_map(|(_, p)| p.last().map(|x| x.0))
        .max()
        .unwrap_or(1)
        .max(first_tick + 1);
    let max_lag = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|x| x.1))
        .max()
        .unwrap_or(0)
        .max(1);
    let x =
        |t: u64| PAD + (t - first_tick) as f64 / (last_tick - first_tick) as f64 * (W - PAD - 6.0);
    let y = |l: i64| H - 16.0 - l as f64 / max_lag as f64 * (H - 30.0);
    let lines = series.iter().enumerate().map(|(i, (label, points))| {
        let d = points.iter().map(|(t, l)| format!("{:.1},{:.1}", x(*t), y(*l))).collect::<Vec<_>>().join(" ");
        let colour = consumer_colour(i + 3);
        html! {
            <g key={label.clone()} data-series={label.clone()}>
                <polyline points={d} style={format!("stroke:{colour}")} class="lag-line" />
                <text x={(PAD + 4.0 + (i % 3) as f64 * 92.0).to_string()} y={(10 + 11 * (i / 3)).to_string()} class="lag-legend" style={format!("fill:{colour}")}>{label.clone()}</text>
            </g>
        }
    });
    let title = match &props.group {
        Some(g) => format!("Lag of group {g} per partition"),
        None => "Committed lag of every group".to_string(),
    };
    html! {
        <section class="panel lag-chart" aria-label="Lag chart">
            <h2>{title.clone()}</h2>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={title}>
                <title>{format!("Lag over the last {:.0} s; highest {max_lag}", (last_tick - first_tick) as f64 / 10.0)}</title>
                <line x1={PAD.to_string()} y1={(H - 16.0).to_string()} x2={(W - 6.0).to_string()} y2={(H - 16.0).to_string()} class="axis" />
                <line x1={PAD.to_string()} y1="14" x2={PAD.to_string()} y2={(H - 16.0).to_string()} class="axis" />
                <text x="2" y={(y(max_lag) + 4.0).to_string()} class="lag-legend">{max_lag}</text>
                <text x="2" y={(H - 12.0).to_string()} class="lag-legend">{"0"}</text>
                <text x={(W - 6.0).to_string()} y={(H - 2.0).to_string()} text-anchor="end" class="lag-legend">{format!("t = {:.0}s", last_tick as f64 / 10.0)}</text>
                { for lines }
            </svg>
        </section>
    }
}
