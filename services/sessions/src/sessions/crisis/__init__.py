"""Crisis flags escalated along each branch's duty chain until someone acknowledges."""
