"""Side-by-side benchmarks of this library against its peers."""
