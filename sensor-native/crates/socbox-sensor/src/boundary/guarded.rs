//! Panics never cross the boundary: every call runs under `catch_unwind`,
//! and a value that panicked refuses further calls, since its state may be
//! half-updated.

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a guarded call failed.
#[derive(Debug, PartialEq, Eq)]
pub enum CallError<E> {
    /// The call returned an error; the value stays usable.
    Failed(E),
    /// The call panicked (a bug); the value is now poisoned.
    Panicked(String),
    /// An earlier call panicked.
    Poisoned,
}

impl<E: fmt::Display> fmt::Display for CallError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed(e) => e.fmt(f),
            Self::Panicked(what) => write!(
                f,
                "socbox sensor panicked (a bug, please report it with the capture): {what}"
            ),
            Self::Poisoned => {
                write!(f, "this source failed earlier with a panic; open a new one")
            }
        }
    }
}

/// Runs `f`; a panic becomes [`CallError::Panicked`].
pub fn catch<T, E>(f: impl FnOnce() -> Result<T, E>) -> Result<T, CallError<E>> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(CallError::Failed),
        Err(payload) => Err(CallError::Panicked(panic_message(&*payload))),
    }
}

pub(super) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// A value that becomes unusable after a panic inside it.
#[derive(Debug)]
pub struct Guarded<T> {
    value: T,
    poisoned: bool,
}

impl<T> Guarded<T> {
    /// Builds the value under the guard.
    pub fn new<E>(make: impl FnOnce() -> Result<T, E>) -> Result<Self, CallError<E>> {
        catch(make).map(|value| Self {
            value,
            poisoned: false,
        })
    }

    pub fn with<R, E>(
        &mut self,
        f: impl FnOnce(&mut T) -> Result<R, E>,
    ) -> Result<R, CallError<E>> {
        if self.poisoned {
            return Err(CallError::Poisoned);
        }
        let value = &mut self.value;
        let result = catch(|| f(value));
        if matches!(result, Err(CallError::Panicked(_))) {
            self.poisoned = true;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors_and_poison() {
        let mut g = Guarded::new(|| Ok::<_, String>(0u32)).unwrap();
        let err = g
            .with(|_| -> Result<(), String> { panic!("boom") })
            .unwrap_err();
        assert_eq!(err, CallError::Panicked("boom".into()));
        assert!(err.to_string().contains("panicked") && err.to_string().contains("boom"));
        assert_eq!(g.with(|v| Ok::<_, String>(*v)), Err(CallError::Poisoned));
    }

    #[test]
    fn ordinary_errors_do_not_poison() {
        let mut g = Guarded::new(|| Ok::<_, String>(1u32)).unwrap();
        assert_eq!(g.with(|_| Err::<(), _>("no")), Err(CallError::Failed("no")));
        assert_eq!(g.with(|v| Ok::<_, String>(*v)), Ok(1));
    }

    #[test]
    fn constructor_panics_are_caught() {
        let r = Guarded::<u32>::new(|| -> Result<u32, String> { panic!("{}", "ctor") });
        assert_eq!(r.unwrap_err(), CallError::Panicked("ctor".into()));
    }
}
