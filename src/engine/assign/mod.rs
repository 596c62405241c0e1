//! The client-side partition assignors of the classic group protocol (SEMANTICS.md §2):
//! range, roundrobin, sticky and cooperative-sticky, reproducing Kafka's Java output.
