"""Storage layer: S3 buckets (SecureBucket, and the AccessLogBucket their server access logs go to) and
DynamoDB tables (DataTable); what every bucket is lives in private_bucket.py."""
