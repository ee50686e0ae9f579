"""Routes de la norme, un module par flux."""
