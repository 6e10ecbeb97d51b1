//! Structure of the random keys and certificates (filled in below).
