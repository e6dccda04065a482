//! Loading a match plan into its matchers. The plan of the default pack
//! holds hundreds of thousands of IOC entries and thousands of content
//! signatures: the two matchers are built on two threads. The parsed plan
//! borrows the plan's text (entries and signatures), so freeing it is
//! cheap. A plan can be read straight from its file (a rule pack or a bare
//! plan), so the caller need not parse and re-serialise a pack of megabytes
//! first.

use std::path::Path;

use crate::content::{ContentMatcher, InspectCaps};
use crate::intel::{IntelMatcher, MatchPlan, PlanError};

/// Both matchers of `plan`, built at once.
pub fn build_matchers(plan: MatchPlan<'_>, caps: InspectCaps) -> (IntelMatcher, ContentMatcher) {
    std::thread::scope(|s| {
        let content = s.spawn(|| ContentMatcher::new(&plan.content, caps));
        let intel = IntelMatcher::new(&plan);
        let content = content
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (intel, content)
    })
}

/// Parses and builds a match plan given as JSON text.
pub fn load_plan_text(
    json: &str,
    caps: InspectCaps,
) -> Result<(IntelMatcher, ContentMatcher), PlanError> {
    Ok(build_matchers(MatchPlan::parse(json)?, caps))
}

/// Reads the match plan of a rule pack (`plan` of the pack) or of a bare
/// plan file, and builds its matchers.
pub fn load_plan_file(
    path: &Path,
    caps: InspectCaps,
) -> Result<(IntelMatcher, ContentMatcher), PlanError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        PlanError::new(format!(
            "cannot read the match plan {}: {e}",
            path.display()
        ))
    })?;
    let plan = MatchPlan::parse(&text)
        .map_err(|e| PlanError::new(format!("{}: {}", path.display(), e.reason())))?;
    Ok(build_matchers(plan, caps))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"{"v":1,"intel":[{"list":"bad","ioc":"domain","entries":["evil.example"]}],
        "content":[{"id":"s:1","msg":"m","class":"x","patterns":[{"literal":"abc","field":"payload"}]}]}"#;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("socbox-plan-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_pack_file_and_a_bare_plan_file_load_the_same_plan() {
        let caps = InspectCaps::default();
        let pack = format!(r#"{{"v":3,"version":"x","rules":[{{"id":"r"}}],"plan":{PLAN}}}"#);
        for path in [write("pack.json", &pack), write("plan.json", PLAN)] {
            let (intel, content) = load_plan_file(&path, caps).unwrap();
            let mut hits = Vec::new();
            intel.match_domain("www.evil.example", "query", &mut hits);
            assert_eq!(hits.len(), 1, "{}", path.display());
            assert_eq!(content.report().loaded, 1, "{}", path.display());
        }
        let (intel, _) = load_plan_text(PLAN, caps).unwrap();
        assert_eq!(intel.sizes().domain, 1);
    }

    #[test]
    fn bad_plan_files_are_clear_errors() {
        let caps = InspectCaps::default();
        let missing = std::env::temp_dir().join("socbox-plan-load-missing/none.json");
        let msg = load_plan_file(&missing, caps).unwrap_err().to_string();
        assert!(msg.contains("cannot read the match plan"), "{msg}");
        for (name, text, expect) in [
            (
                "neither.json",
                r#"{"rules":[]}"#,
                "neither a rule pack nor a match plan v1",
            ),
            (
                "v2.json",
                r#"{"plan":{"v":2}}"#,
                "version 2 is not supported",
            ),
            ("broken.json", "{", "not valid JSON"),
        ] {
            let path = write(name, text);
            let msg = load_plan_file(&path, caps).unwrap_err().to_string();
            assert!(msg.contains(expect) && msg.contains(name), "{name}: {msg}");
        }
    }
}
