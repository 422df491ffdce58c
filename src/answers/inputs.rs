//! What `resolve` takes: the answers given in files, a request and `--set`.
//! Its own file so that `validate` and `resolve` both read it without
//! reading each other.

use super::LabelledAnswers;

/// Where answers come from, besides defaults and prompts.
#[derive(Debug, Default)]
pub struct AnswerInputs {
    pub file: Option<LabelledAnswers>,
    pub request: Option<LabelledAnswers>,
    /// `--set key=value`, in order; later wins.
    pub set: Vec<(String, String)>,
    /// With a prompter, the file's answers are offered as defaults and the
    /// question asked again (`upgrade --ask`); `--set` answers still stand.
    pub reask: bool,
}
