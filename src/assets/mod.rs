//! Files besides pages: images and SVG, leaflets' QR codes and page estimates, the theme.
//! Imports only `core`.

pub mod audio;
pub mod images;
pub mod leaflet;
pub mod svg;
pub mod theme;
