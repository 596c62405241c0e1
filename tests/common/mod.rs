//! Helpers shared by the integration tests.

pub mod server_vectors;
