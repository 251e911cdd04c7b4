//! `switchboard-simulator`: plays seeded, realistic telephony traffic into a
//! running Switchboard (`run`), or sets up a demo tenant (`demo-setup`).

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use std::sync::{Arc, Mutex};
use switchboard_simulator::client::Client;
use switchboard_simulator::model::{Config, Profile, Queue, Sim};
use switchboard_simulator::play::Player;
use switchboard_simulator::random::Random;
use switchboard_simulator::server::{self, OriginateRates, ServerState};
use switchboard_simulator::setup::DemoSetup;
use switchboard_simulator::summary::Tally;
use tokio::sync::mpsc;

#[derive(Parser)]
#[command(
    name = "switchboard-simulator",
    about = "A telephony provider simulator for Switchboard (SPEC TEL-5)"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Play traffic into the app's signed webhook.
    Run(Box<RunArgs>),
    /// Create a demo tenant (company, owner, ARS, menus, hours, agents).
    DemoSetup(Box<SetupArgs>),
}

#[derive(Args)]
struct RunArgs {
    /// The app's base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    base_url: String,
    /// The webhook secret (default: $SPIN_VARIABLE_WEBHOOK_SECRET).
    #[arg(long)]
    secret: Option<String>,
    /// Seed of the traffic; the same seed gives the same events (default:
    /// from the clock, printed).
    #[arg(long)]
    seed: Option<u64>,
    /// The tenant's representative number.
    #[arg(long, default_value = "070-4000-1234")]
    line: String,
    /// Agents' login IDs (they must exist in the tenant).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "agent01,agent02,agent03,agent04,agent05,agent06"
    )]
    agents: Vec<String>,
    /// Digits of the agent-connect menus (queues).
    #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
    queues: Vec<u8>,
    /// Queue digits that offer a callback.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    callback_queues: Vec<u8>,
    /// Digits of information menus (empty: none).
    #[arg(long, value_delimiter = ',', default_value = "9")]
    info: Vec<u8>,
    /// Inbound calls per hour (at the profile's peak hour 10:00 for `office`).
    #[arg(long, default_value_t = 120.0)]
    rate: f64,
    /// Hourly rate profile: office or flat.
    #[arg(long, default_value = "office")]
    profile: String,
    /// Opening hours HH:MM-HH:MM (tenant time); calls outside are
    /// out-of-hours. Default: always open.
    #[arg(long)]
    open: Option<String>,
    /// The simulated clock's start (RFC 3339; default now).
    #[arg(long)]
    start: Option<String>,
    /// Simulated seconds per real second.
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Send as fast as possible (for tests), ignoring --speed.
    #[arg(long)]
    burst: bool,
    /// Stop after this many inbound calls (then let calls end and agents sign out).
    #[arg(long)]
    calls: Option<u64>,
    /// Stop new calls after this much simulated time (e.g. 90s, 30m, 8h).
    #[arg(long)]
    duration: Option<String>,
    /// Mean patience of a waiting caller, seconds.
    #[arg(long, default_value_t = 90.0)]
    patience: f64,
    /// Median talk time, seconds.
    #[arg(long, default_value_t = 150.0)]
    talk: f64,
    /// Median after-call work, seconds.
    #[arg(long, default_value_t = 20.0)]
    acw: f64,
    /// Share of waiting callers who take the callback offer.
    #[arg(long, default_value_t = 0.35)]
    callback_take: f64,
    /// Outbound calls per agent per hour.
    #[arg(long, default_value_t = 0.6)]
    outbound_rate: f64,
    /// Internal calls per agent per hour.
    #[arg(long, default_value_t = 0.2)]
    internal_rate: f64,
    /// Where the provider-API server (recordings, originate) listens.
    #[arg(long, default_value = "127.0.0.1:3900")]
    listen: String,
    /// Base URL of that server in recording URLs (default http://<listen>).
    #[arg(long)]
    public_url: Option<String>,
    /// Bearer token the server requires (default:
    /// $SPIN_VARIABLE_PROVIDER_API_TOKEN; empty: none).
    #[arg(long)]
    provider_token: Option<String>,
    /// Shares of originate outcomes: completed, no answer, provider error
    /// (the rest is busy).
    #[arg(long, default_value_t = 0.7)]
    originate_success: f64,
    #[arg(long, default_value_t = 0.2)]
    originate_no_answer: f64,
    #[arg(long, default_value_t = 0.05)]
    originate_error: f64,
    /// Keep serving recordings and originate requests after the traffic
    /// ends, until Ctrl-C.
    #[arg(long)]
    serve: bool,
    /// Write the summary as JSON here.
    #[arg(long)]
    summary_json: Option<std::path::PathBuf>,
    /// Print the events as JSON lines instead of sending them.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args)]
struct SetupArgs {
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    base_url: String,
    #[arg(long, default_value = "operator")]
    operator_login: String,
    /// Default: $SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD.
    #[arg(long)]
    operator_password: Option<String>,
    #[arg(long, default_value = "스위치보드 쇼핑")]
    company: String,
    #[arg(long, default_value = "demo-admin")]
    owner_login: String,
    #[arg(long)]
    owner_password: String,
    #[arg(long, default_value = "070-4000-1234")]
    line: String,
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "agent01,agent02,agent03,agent04,agent05,agent06"
    )]
    agents: Vec<String>,
    #[arg(long, default_value = "agent-pass-123")]
    agent_password: String,
}

fn env_or(flag: Option<String>, var: &str) -> Option<String> {
    flag.or_else(|| std::env::var(var).ok())
        .filter(|s| !s.is_empty())
}

fn parse_duration_ms(s: &str) -> Result<i64> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num
        .parse()
        .with_context(|| format!("not a duration: {s}"))?;
    let mult = match unit {
        "" | "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => bail!("not a duration: {s} (use 90s, 30m or 8h)"),
    };
    Ok(n * mult)
}

fn parse_open(s: &str) -> Result<(u32, u32)> {
    let minute = |t: &str| -> Result<u32> {
        let (h, m) = t
            .trim()
            .split_once(':')
            .ok_or_else(|| anyhow!("not HH:MM: {t}"))?;
        Ok(h.parse::<u32>()? * 60 + m.parse::<u32>()?)
    };
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| anyhow!("not HH:MM-HH:MM: {s}"))?;
    Ok((minute(a)?, minute(b)?))
}

fn config(args: &RunArgs, seed: u64, recording_base: String) -> Result<Config> {
    let start = match &args.start {
        Some(s) => s
            .parse()
            .with_context(|| format!("--start is not RFC 3339: {s}"))?,
        None => jiff::Timestamp::now(),
    };
    let mut cfg = Config::new(seed, &args.line, args.agents.clone(), start);
    cfg.queues = args
        .queues
        .iter()
        .map(|d| Queue {
            digit: *d,
            callback: args.callback_queues.contains(d),
        })
        .collect();
    cfg.info_digits.clone_from(&args.info);
    cfg.rate_per_hour = args.rate;
    cfg.profile = match args.profile.as_str() {
        "office" => Profile::Office,
        "flat" => Profile::Flat,
        p => bail!("--profile is office or flat, not {p}"),
    };
    cfg.open = args.open.as_deref().map(parse_open).transpose()?;
    cfg.max_calls = args.calls;
    cfg.duration_ms = args
        .duration
        .as_deref()
        .map(parse_duration_ms)
        .transpose()?;
    cfg.patience_s = args.patience;
    cfg.talk_median_s = args.talk;
    cfg.acw_median_s = args.acw;
    cfg.callback_take = args.callback_take;
    cfg.outbound_per_agent_hour = args.outbound_rate;
    cfg.internal_per_agent_hour = args.internal_rate;
    cfg.recording_base = recording_base;
    Ok(cfg)
}

async fn run(args: RunArgs) -> Result<()> {
    let seed = args.seed.unwrap_or_else(|| {
        let now = jiff::Timestamp::now();
        u64::try_from(now.as_millisecond()).unwrap_or(1) % 1_000_000_000
    });
    let secret = env_or(args.secret.clone(), "SPIN_VARIABLE_WEBHOOK_SECRET");
    if secret.is_none() && !args.dry_run {
        bail!("no webhook secret: pass --secret or set SPIN_VARIABLE_WEBHOOK_SECRET");
    }
    if args.speed <= 0.0 {
        bail!("--speed must be above 0");
    }
    let (tx, rx) = mpsc::unbounded_channel();
    let token = env_or(
        args.provider_token.clone(),
        "SPIN_VARIABLE_PROVIDER_API_TOKEN",
    );
    let state = Arc::new(ServerState {
        token,
        rates: OriginateRates {
            success: args.originate_success,
            no_answer: args.originate_no_answer,
            error: args.originate_error,
        },
        rng: Mutex::new(Random::new(seed ^ 0x5eed_0f0f)),
        orders: tx,
        line: args.line.clone(),
        keys: Mutex::default(),
    });
    let addr = server::start(&args.listen, state).await?;
    let public = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let cfg = config(&args, seed, public.clone())?;
    let bounded = cfg.max_calls.is_some() || cfg.duration_ms.is_some();
    eprintln!(
        "simulator: seed {seed}, line {}, {} agents, {} calls/h ({:?}), {}; provider API on {public}",
        cfg.line,
        cfg.agents.len(),
        cfg.rate_per_hour,
        cfg.profile,
        if args.burst {
            "burst".to_owned()
        } else {
            format!("speed x{}", args.speed)
        }
    );
    if !bounded {
        eprintln!("simulator: no --calls or --duration: runs until Ctrl-C");
    }
    let mut player = Player {
        client: if args.dry_run {
            None
        } else {
            Some(Client::new(&args.base_url)?)
        },
        secret: secret.unwrap_or_default(),
        speed: args.speed,
        burst: args.burst,
        serve: args.serve,
        dry_run: args.dry_run,
        tally: Tally::default(),
    };
    let outcome = player.play(Sim::new(cfg), rx).await;
    let summary = player.tally.summary();
    eprint!("{}", summary.table());
    if let Some(path) = &args.summary_json {
        let mut json = serde_json::to_value(&summary)?;
        json["seed"] = seed.into();
        std::fs::write(path, serde_json::to_vec_pretty(&json)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    outcome
}

async fn demo_setup(args: SetupArgs) -> Result<()> {
    let operator_password = env_or(args.operator_password, "SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD")
        .ok_or_else(|| anyhow!("no operator password: pass --operator-password or set SPIN_VARIABLE_BOOTSTRAP_OPERATOR_PASSWORD"))?;
    let setup = DemoSetup {
        operator_login: args.operator_login,
        operator_password,
        company: args.company,
        owner_login: args.owner_login,
        owner_password: args.owner_password,
        line: args.line,
        agents: args.agents,
        agent_password: args.agent_password,
    };
    let client = Client::new(&args.base_url)?;
    if setup.run(&client).await? {
        eprintln!(
            "demo-setup: created {} (owner {}, {} agents, line {})",
            setup.company,
            setup.owner_login,
            setup.agents.len(),
            setup.line
        );
    } else {
        eprintln!(
            "demo-setup: {} can already sign in; nothing changed",
            setup.owner_login
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().cmd {
        Cmd::Run(args) => run(*args).await,
        Cmd::DemoSetup(args) => demo_setup(*args).await,
    }
}
