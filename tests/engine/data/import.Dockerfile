FROM python:3.11
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt && echo smoke-1 > /deps.txt
COPY app/ ./app/
RUN cat app/*.py > /built.txt
