"""The eight areas of the Whole School SEND review, in the order the review uses them."""

from enum import StrEnum


class ReviewArea(StrEnum):
    """An area of review. Findings, estimates and published themes are all per area."""

    OUTCOMES = "outcomes"
    LEADERSHIP = "leadership"
    TEACHING_AND_LEARNING = "teaching-and-learning"
    WORKING_WITH_PUPILS_AND_PARENTS = "working-with-pupils-and-parents"
    ASSESSMENT_AND_IDENTIFICATION = "assessment-and-identification"
    MONITORING_TRACKING_AND_EVALUATION = "monitoring-tracking-and-evaluation"
    EFFICIENT_USE_OF_RESOURCES = "efficient-use-of-resources"
    QUALITY_OF_PROVISION = "quality-of-provision"
