//! What many upgrades of one run have in common, computed once: a fleet of
//! repositories on the same golden path shares its version list, its loaded
//! versions and, for repositories with the same answers, the render itself.
//!
//! Loads are kept for the whole run (there are few: one per version used).
//! Renders are kept in a small most-recently-used list, so memory stays
//! bounded however many repositories (with however many different answers)
//! the run covers.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use crate::error::Result;
use crate::source::GoldenPath;

/// How many renders stay cached.
const RENDERS_KEPT: usize = 32;

/// A render and what it needs kept with it.
pub(super) type SharedRender = Arc<(
    crate::render_plan::Rendered,
    crate::answers::Resolved,
    Vec<String>,
)>;

/// Shared by the upgrades of one run (`upgrade::plan_shared`).
#[derive(Default)]
pub struct Shared {
    versions: Mutex<HashMap<String, Arc<Vec<semver::Version>>>>,
    loads: Mutex<HashMap<(String, String, bool), Arc<GoldenPath>>>,
    renders: Mutex<VecDeque<(String, SharedRender)>>,
    /// One lock per key being computed, so two workers never do the same work twice.
    busy: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl Shared {
    fn guard(&self, key: &str) -> Arc<Mutex<()>> {
        self.busy
            .lock()
            .expect("not poisoned")
            .entry(key.to_string())
            .or_default()
            .clone()
    }

    pub(super) fn versions(
        &self,
        source: &str,
        compute: impl FnOnce() -> Result<Vec<semver::Version>>,
    ) -> Result<Arc<Vec<semver::Version>>> {
        let guard = self.guard(&format!("versions {source}"));
        let _held = guard.lock().expect("not poisoned");
        if let Some(v) = self.versions.lock().expect("not poisoned").get(source) {
            return Ok(v.clone());
        }
        let v = Arc::new(compute()?);
        self.versions
            .lock()
            .expect("not poisoned")
            .insert(source.to_string(), v.clone());
        Ok(v)
    }

    pub(super) fn load(
        &self,
        source: &str,
        version: &str,
        deferring: bool,
        compute: impl FnOnce() -> Result<GoldenPath>,
    ) -> Result<Arc<GoldenPath>> {
        let key = (source.to_string(), version.to_string(), deferring);
        let guard = self.guard(&format!("load {source} {version} {deferring}"));
        let _held = guard.lock().expect("not poisoned");
        if let Some(gp) = self.loads.lock().expect("not poisoned").get(&key) {
            return Ok(gp.clone());
        }
        let gp = Arc::new(compute()?);
        self.loads
            .lock()
            .expect("not poisoned")
            .insert(key, gp.clone());
        Ok(gp)
    }

    pub(super) fn render(
        &self,
        key: String,
        compute: impl FnOnce() -> Result<SharedRender>,
    ) -> Result<SharedRender> {
        let guard = self.guard(&format!("render {key}"));
        let _held = guard.lock().expect("not poisoned");
        {
            let mut renders = self.renders.lock().expect("not poisoned");
            if let Some(i) = renders.iter().position(|(k, _)| *k == key) {
                let hit = renders.remove(i).expect("found");
                let value = hit.1.clone();
                renders.push_front(hit);
                return Ok(value);
            }
        }
        let value = compute()?;
        let mut renders = self.renders.lock().expect("not poisoned");
        renders.push_front((key, value.clone()));
        renders.truncate(RENDERS_KEPT);
        Ok(value)
    }
}
