# The portal, for compose.yaml. Its data (embedded catalogue, converted files) is in /var/lib/portal.
FROM python:3.11-slim
WORKDIR /srv/portal
COPY pyproject.toml README.md ./
COPY portal ./portal
COPY datasets ./datasets
COPY pipelines ./pipelines
COPY validators ./validators
RUN pip install --no-cache-dir -e .
ENV PORTAL_DATA_DIR=/var/lib/portal
EXPOSE 8000
CMD ["portal", "serve", "--host", "0.0.0.0", "--port", "8000"]
