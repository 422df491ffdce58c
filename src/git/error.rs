//! The one place libgit2's errors become ours, so that `git/` stays the only
//! importer of `git2` (the error module knows nothing of it).

use crate::error::Error;

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git(e.message().to_string())
    }
}
