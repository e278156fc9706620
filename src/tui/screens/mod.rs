//! The screens: one module each, holding that screen's state, key handling and view.
//!
//! The three list screens read the tenant the app owns. They keep only what the admin did to
//! them (selection, filter, detail pane), so a reload does not lose the admin's place.

pub mod help;
pub mod instances;
pub mod licenses;
pub mod numbers;
pub mod sign_in;
pub mod wizard;

/// The list screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    /// Application instances with their license and number.
    Instances,
    /// SKUs with their seats.
    Licenses,
    /// Phone numbers with their holders.
    Numbers,
}

impl ScreenId {
    /// Every screen, in tab order.
    pub const ALL: [ScreenId; 3] = [ScreenId::Instances, ScreenId::Licenses, ScreenId::Numbers];

    /// Returns the tab title.
    pub fn title(self) -> &'static str {
        match self {
            ScreenId::Instances => "Instances",
            ScreenId::Licenses => "Licenses",
            ScreenId::Numbers => "Numbers",
        }
    }

    /// Returns the screen after this one, wrapping around.
    pub fn next(self) -> ScreenId {
        let at = self.position();
        Self::ALL[(at + 1) % Self::ALL.len()]
    }

    /// Returns the screen before this one, wrapping around.
    pub fn previous(self) -> ScreenId {
        let at = self.position();
        Self::ALL[(at + Self::ALL.len() - 1) % Self::ALL.len()]
    }

    /// Returns the 1-based number key that shows this screen.
    pub fn number_key(self) -> usize {
        self.position() + 1
    }

    fn position(self) -> usize {
        match self {
            ScreenId::Instances => 0,
            ScreenId::Licenses => 1,
            ScreenId::Numbers => 2,
        }
    }
}
