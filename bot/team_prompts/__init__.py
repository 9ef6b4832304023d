"""team_prompts"""
