"""What the operators watch: health, heartbeat, system checks."""
